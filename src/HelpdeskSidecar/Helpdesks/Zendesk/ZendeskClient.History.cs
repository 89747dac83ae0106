using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

internal sealed partial class ZendeskClient : IRequesterTickets
{
    /// <summary>
    /// <c>GET /api/v2/users/{id}/tickets/requested?sort_by=created_at&amp;sort_order=desc&amp;per_page=n</c>: one page,
    /// newest first. A requester Zendesk does not know (404) has no tickets.
    /// </summary>
    public async Task<IReadOnlyList<RequestedTicket>> GetRequestedTicketsAsync(string requesterId, int limit, CancellationToken ct)
    {
        var list = await _answers.FindAsync(api.ListRequestedTicketsAsync(requesterId, Math.Clamp(limit, 1, PageSize), ct), ct);
        return (list?.Tickets ?? [])
            .Select(t => new RequestedTicket(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Subject ?? "", t.Status ?? "", t.CreatedAt, t.UpdatedAt))
            .ToList();
    }
}

internal sealed record ZendeskTicketList([property: JsonPropertyName("tickets")] List<ZendeskTicket>? Tickets);
