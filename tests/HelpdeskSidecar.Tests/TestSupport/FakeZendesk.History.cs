using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// List User Requested Tickets (<c>GET /api/v2/users/{id}/tickets/requested</c>), each ticket shaped like the recorded
/// Show Ticket (Fixtures/zendesk/show_ticket.json), sorted as asked and cut at <c>per_page</c>.
/// </summary>
public sealed partial class FakeZendesk
{
    /// <summary>The customer's other tickets the list answers with (the fake's own tickets are not listed unless added here).</summary>
    public ConcurrentDictionary<long, FakeRequestedTicket> RequestedTickets { get; } = new();

    /// <summary>When set, the list answers with this status (e.g. 500) instead.</summary>
    public int? RequestedTicketsFailure { get; set; }

    private void MapHistory() =>
        _server.Map("GET", @"^/api/v2/users/\d+/tickets/requested$", r => ListRequested(WireMockLoopback.IdAt(r, 3), r));

    private IResponseMessage ListRequested(long userId, IRequestMessage request)
    {
        if (RequestedTicketsFailure is { } status)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "InternalError", ["description"] = "Something went wrong" }, status);
        if (userId != CustomerId)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, 404);
        var perPage = WireMockLoopback.Query(request, "per_page") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 100;
        var descending = WireMockLoopback.Query(request, "sort_order") == "desc";
        var sorted = WireMockLoopback.Query(request, "sort_by") == "created_at"
            ? (descending ? RequestedTickets.Values.OrderByDescending(t => t.CreatedAt) : RequestedTickets.Values.OrderBy(t => t.CreatedAt))
            : RequestedTickets.Values.OrderBy(t => t.Id);
        var tickets = new JsonArray();
        foreach (var ticket in sorted.Take(perPage))
        {
            var t = JsonNode.Parse(Fixtures.Text("zendesk/show_ticket.json"))!["ticket"]!.DeepClone();
            t["id"] = ticket.Id;
            t["url"] = $"https://example.zendesk.com/api/v2/tickets/{ticket.Id}.json";
            t["subject"] = ticket.Subject;
            t["raw_subject"] = ticket.Subject;
            t["status"] = ticket.Status;
            t["requester_id"] = CustomerId;
            t["created_at"] = ticket.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            t["updated_at"] = t["created_at"]!.DeepClone();
            tickets.Add(t);
        }
        return WireMockLoopback.Json(new JsonObject { ["tickets"] = tickets, ["next_page"] = null, ["previous_page"] = null, ["count"] = tickets.Count });
    }

    public IReadOnlyList<RecordedRequest> HistoryReads() =>
        Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/tickets/requested", StringComparison.Ordinal)).ToList();
}

/// <summary>One of the customer's tickets as a helpdesk lists it: no conversation.</summary>
/// <param name="Status">Zendesk's words (new, open, pending, hold, solved, closed); the Freshdesk fake maps them to its numbers.</param>
public sealed record FakeRequestedTicket(long Id, string Subject, string Status, DateTimeOffset CreatedAt);
