using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>Routing on the loopback Zendesk: Update Ticket sets <c>group_id</c>, <c>priority</c>, <c>custom_fields</c>; Show Ticket reports them.</summary>
public sealed partial class FakeZendesk
{
    /// <summary>Update Ticket calls that carry no comment: the route updates.</summary>
    public IReadOnlyList<RecordedRequest> RoutePuts(long ticketId) =>
        Puts(ticketId).Where(r => JsonNode.Parse(r.Body!)?["ticket"]?["comment"] is null).ToList();

    private static void ShowRoute(JsonNode t, FakeTicket ticket)
    {
        if (ticket.GroupId is { } group)
            t["group_id"] = group;
        t["priority"] = ticket.Priority;
        t["custom_fields"] = new JsonArray(ticket.Fields.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (JsonNode)new JsonObject { ["id"] = long.Parse(f.Key, CultureInfo.InvariantCulture), ["value"] = f.Value }).ToArray());
    }

    private readonly ConcurrentQueue<int> _routeFailures = new();

    /// <summary>The next route updates (Update Ticket without a comment) answer with these statuses before succeeding.</summary>
    public void FailNextRouteUpdates(int status, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _routeFailures.Enqueue(status);
    }

    /// <summary>Applies the route fields of an Update Ticket; null, or the failure queued for a route update.</summary>
    private WireMock.IResponseMessage? RouteUpdate(FakeTicket ticket, JsonNode? update)
    {
        if (update is JsonObject { } u && u["comment"] is null && _routeFailures.TryDequeue(out var status))
            return WireMockLoopback.Error(status, null, Fixtures.Bytes("zendesk/rate_limited_429.json"));
        ApplyRoute(ticket, update);
        return null;
    }

    private static void ApplyRoute(FakeTicket ticket, JsonNode? update)
    {
        if (update is not JsonObject t)
            return;
        if (t["group_id"] is JsonValue group)
            ticket.GroupId = group.GetValue<long>();
        if (t["priority"] is JsonValue priority)
            ticket.Priority = priority.GetValue<string>();
        foreach (var field in t["custom_fields"] as JsonArray ?? [])
            ticket.Fields[field!["id"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture)] = field["value"]!.GetValue<string>();
    }
}

public sealed partial class FakeTicket
{
    /// <summary>The ticket's group (null: the recorded fixture's group).</summary>
    public long? GroupId { get; set; }

    /// <summary>low, normal, high, urgent or null.</summary>
    public string? Priority { get; set; }

    /// <summary>Custom field values by field id.</summary>
    public ConcurrentDictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);
}
