using System.Text.RegularExpressions;
using FluentValidation;

namespace HelpdeskSidecar.Ingestion;

internal sealed partial class FreshdeskEventValidator : AbstractValidator<FreshdeskEvent>
{
    public FreshdeskEventValidator()
    {
        RuleFor(e => e.Effective.TicketId).NotEmpty().OverridePropertyName("ticket_id")
            .WithMessage("'ticket_id' is required (the {{ticket.id}} placeholder).");
        RuleFor(e => e.Effective.TicketId).Must(id => TicketIdPattern().IsMatch(id!)).OverridePropertyName("ticket_id")
            .When(e => !string.IsNullOrEmpty(e.Effective.TicketId))
            .WithMessage("'ticket_id' must be a ticket id (digits).");
        RuleFor(e => e.EventType).NotEmpty().OverridePropertyName("triggered_event")
            .WithMessage("'triggered_event' is required (the {{triggered_event}} placeholder).");
        RuleFor(e => e.EventType).MaximumLength(200).OverridePropertyName("triggered_event");
        RuleFor(e => e.Effective.UpdatedAt).MaximumLength(100).OverridePropertyName("ticket_updated_at");
    }

    [GeneratedRegex("^[0-9]{1,19}$")]
    private static partial Regex TicketIdPattern();
}
