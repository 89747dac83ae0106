using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>Routing on the loopback Freshdesk: Update Ticket sets <c>group_id</c>, <c>priority</c> (1–4), <c>custom_fields</c> (merged); View Ticket reports them.</summary>
public sealed partial class FakeFreshdesk
{
    /// <summary>Update Ticket calls without <c>tags</c>: the route updates.</summary>
    public IReadOnlyList<RecordedRequest> RoutePuts(long ticketId) =>
        TicketPuts(ticketId).Where(r => JsonNode.Parse(r.Body!)?["tags"] is null).ToList();

    private static void ShowRoute(JsonNode t, FakeFreshdeskTicket ticket)
    {
        t["group_id"] = ticket.GroupId;
        t["priority"] = ticket.Priority;
        var fields = t["custom_fields"] as JsonObject ?? [];
        foreach (var (key, value) in ticket.Fields)
            fields[key] = value;
        t["custom_fields"] = fields;
    }

    private static void ApplyRoute(FakeFreshdeskTicket ticket, JsonNode? body)
    {
        if (body is not JsonObject t)
            return;
        if (t["group_id"] is JsonValue group)
            ticket.GroupId = group.GetValue<long>();
        if (t["priority"] is JsonValue priority)
            ticket.Priority = priority.GetValue<int>();
        foreach (var (key, value) in t["custom_fields"] as JsonObject ?? [])
            ticket.Fields[key] = value!.GetValue<string>();
    }
}

public sealed partial class FakeFreshdeskTicket
{
    public long? GroupId { get; set; }

    /// <summary>1 Low (the recorded fixture's), 2 Medium, 3 High, 4 Urgent.</summary>
    public int Priority { get; set; } = 1;

    /// <summary>Custom field values by name, on top of the recorded fixture's.</summary>
    public ConcurrentDictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);
}
