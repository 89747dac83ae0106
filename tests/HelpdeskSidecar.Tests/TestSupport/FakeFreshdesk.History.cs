using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// List All Tickets filtered by requester (<c>GET /api/v2/tickets?requester_id=</c>), each ticket shaped like the recorded
/// View Ticket (Fixtures/freshdesk/ticket_1.json), ordered as asked and cut at <c>per_page</c>.
/// </summary>
public sealed partial class FakeFreshdesk
{
    /// <summary>The contact's other tickets the list answers with.</summary>
    public ConcurrentDictionary<long, FakeRequestedTicket> RequestedTickets { get; } = new();

    /// <summary>When set, the list answers with this status (e.g. 500) instead.</summary>
    public int? RequestedTicketsFailure { get; set; }

    private void MapHistory() => _server.Map("GET", "^/api/v2/tickets$", ListTickets);

    private IResponseMessage ListTickets(IRequestMessage request)
    {
        if (RequestedTicketsFailure is { } status)
            return WireMockLoopback.Json(new JsonObject { ["code"] = "internal_error", ["message"] = "Something went wrong" }, status);
        var requester = WireMockLoopback.Query(request, "requester_id");
        var perPage = WireMockLoopback.Query(request, "per_page") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 30;
        var listed = requester == CustomerId.ToString(System.Globalization.CultureInfo.InvariantCulture) ? RequestedTickets.Values : [];
        var sorted = WireMockLoopback.Query(request, "order_type") == "asc" ? listed.OrderBy(t => t.CreatedAt) : listed.OrderByDescending(t => t.CreatedAt);
        var tickets = new JsonArray();
        foreach (var ticket in sorted.Take(perPage))
        {
            var t = JsonNode.Parse(Fixtures.Text("freshdesk/ticket_1.json"))!;
            t["id"] = ticket.Id;
            t["subject"] = ticket.Subject;
            t["status"] = ticket.Status switch { "pending" => 3, "solved" => 4, "closed" => 5, _ => 2 };
            t["requester_id"] = CustomerId;
            t["created_at"] = ticket.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            t["updated_at"] = t["created_at"]!.DeepClone();
            t.AsObject().Remove("requester");
            t.AsObject().Remove("conversations");
            tickets.Add(t);
        }
        return WireMockLoopback.Json(tickets);
    }

    public IReadOnlyList<RecordedRequest> HistoryReads() =>
        Requests.Where(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/api/v2/tickets?", StringComparison.Ordinal)).ToList();
}
