using System.Text.RegularExpressions;
using FluentValidation;

namespace HelpdeskSidecar.Ingestion;

internal sealed partial class ZendeskEventValidator : AbstractValidator<ZendeskEvent>
{
    public ZendeskEventValidator()
    {
        RuleFor(e => e.Id).NotEmpty().MaximumLength(200).OverridePropertyName("id");
        RuleFor(e => e.Type).Cascade(CascadeMode.Stop).NotEmpty().Must(t => t!.StartsWith("zen:event-type:", StringComparison.Ordinal))
            .OverridePropertyName("type").WithMessage("'type' must be a Zendesk event type (zen:event-type:...).");
        When(e => e.IsTicketEvent, () =>
        {
            RuleFor(e => e.Detail).NotNull().OverridePropertyName("detail");
            RuleFor(e => e.Detail!.Id).Cascade(CascadeMode.Stop).NotEmpty().Must(id => TicketIdPattern().IsMatch(id!))
                .When(e => e.Detail is not null)
                .OverridePropertyName("detail.id").WithMessage("'detail.id' must be a ticket id (digits).");
            RuleFor(e => e.Subject)
                .Must((e, subject) => subject is null || subject == $"zen:ticket:{e.Detail?.Id}")
                .OverridePropertyName("subject").WithMessage("'subject' must be zen:ticket:{detail.id}.");
        });
    }

    [GeneratedRegex("^[0-9]{1,19}$")]
    private static partial Regex TicketIdPattern();
}
