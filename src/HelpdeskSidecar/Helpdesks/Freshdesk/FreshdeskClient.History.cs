namespace HelpdeskSidecar.Helpdesks.Freshdesk;

internal sealed partial class FreshdeskClient : IRequesterTickets
{
    /// <summary>
    /// List All Tickets filtered by requester, <c>GET /api/v2/tickets?order_by=created_at&amp;order_type=desc&amp;requester_id=…&amp;per_page=n</c>:
    /// one page, newest first. Freshdesk lists tickets of the last 30 days unless asked otherwise, which suits a history.
    /// </summary>
    public async Task<IReadOnlyList<RequestedTicket>> GetRequestedTicketsAsync(string requesterId, int limit, CancellationToken ct)
    {
        var list = await _answers.FindAsync(api.ListRequesterTicketsAsync(requesterId, Math.Clamp(limit, 1, PageSize), ct), ct);
        return (list ?? [])
            .Select(t => new RequestedTicket(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Subject ?? "",
                FreshdeskMapping.StatusName(t.Status), t.CreatedAt, t.UpdatedAt))
            .ToList();
    }
}
