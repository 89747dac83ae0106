namespace HelpdeskSidecar.Helpdesks.Replay;

internal sealed partial class ReplayHelpdesk : IRequesterTickets
{
    /// <summary>
    /// The export's other tickets of the requester, newest first, dated by their first message. A ticket the export shows
    /// answered by an agent counts as solved, one without an answer as open (the export is played back as it stood).
    /// </summary>
    public Task<IReadOnlyList<RequestedTicket>> GetRequestedTicketsAsync(string requesterId, int limit, CancellationToken ct)
    {
        IReadOnlyList<RequestedTicket> tickets = _tickets.Value.Values
            .Where(t => t.Ticket.RequesterId == requesterId)
            .Select(t => new RequestedTicket(t.Ticket.Id, t.Ticket.Subject, t.AgentReply is null ? "open" : "solved",
                t.Ticket.Comments.Count > 0 ? t.Ticket.Comments[0].CreatedAt : t.WaitingSince, t.WaitingSince))
            .OrderByDescending(t => t.CreatedAt)
            .ThenByDescending(t => t.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(tickets);
    }
}
