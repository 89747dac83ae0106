using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Copilot;

/// <summary>What retrieval searches with: the whole customer side of the ticket, not only its last line.</summary>
internal static class TicketQuery
{
    public static string TextOf(HelpdeskTicket ticket)
    {
        var customerMessages = ticket.Comments
            .Where(c => c.IsPublic && c.AuthorRole == AuthorRole.EndUser)
            .Select(c => c.Body)
            .Reverse() // the newest message first, so its terms survive the term cap
            .ToList();
        var description = customerMessages.Count > 0 && customerMessages[^1].Trim() == ticket.Description.Trim() ? "" : ticket.Description;
        return string.Join("\n", customerMessages.Prepend(ticket.Subject).Append(description));
    }
}
