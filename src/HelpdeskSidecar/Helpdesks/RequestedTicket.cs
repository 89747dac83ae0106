namespace HelpdeskSidecar.Helpdesks;

/// <summary>
/// One of the requester's tickets as a helpdesk lists it (no conversation): what the customer history is built from.
/// <see cref="Subject"/> is the helpdesk's raw text and may hold personal data: the history redacts it before anything
/// else sees it. <see cref="Status"/> is in the neutral (Zendesk) vocabulary: new, open, pending, hold, solved, closed.
/// </summary>
internal sealed record RequestedTicket(string Id, string Subject, string Status, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    /// <summary>Still work for somebody: neither solved nor closed (a ticket without a status counts as open).</summary>
    public bool IsOpen => Status is not ("solved" or "closed");
}

/// <summary>The requester's recent tickets, newest first. Implemented by the helpdesks that can list them.</summary>
internal interface IRequesterTickets
{
    /// <summary>
    /// At most <paramref name="limit"/> tickets the requester asked, newest first (the current one may be among them).
    /// Throws <see cref="HelpdeskException"/> when the helpdesk cannot be read; a requester it does not know has none.
    /// </summary>
    Task<IReadOnlyList<RequestedTicket>> GetRequestedTicketsAsync(string requesterId, int limit, CancellationToken ct);
}
