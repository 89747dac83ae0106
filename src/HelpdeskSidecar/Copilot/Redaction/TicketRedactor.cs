using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Copilot.Redaction;

/// <summary>A ticket whose free text has been redacted, with the map that can undo it (in memory only).</summary>
internal sealed record RedactedTicket(HelpdeskTicket Ticket, RedactionMap Map);

internal static class TicketRedactor
{
    /// <summary>Redacts subject, description and every comment body with one map, so placeholders agree across them.</summary>
    public static RedactedTicket Redact(HelpdeskTicket ticket)
    {
        var map = new RedactionMap();
        IReadOnlyList<string> names = string.IsNullOrWhiteSpace(ticket.RequesterName) ? [] : [ticket.RequesterName];
        // RequesterName itself stays: the offline drafter greets with it and nothing sends it out of the process.
        var redacted = ticket with
        {
            Subject = PiiRedactor.Redact(ticket.Subject, map, names),
            Description = PiiRedactor.Redact(ticket.Description, map, names),
            Comments = ticket.Comments.Select(c => c with { Body = PiiRedactor.Redact(c.Body, map, names) }).ToList(),
        };
        return new RedactedTicket(redacted, map);
    }
}
