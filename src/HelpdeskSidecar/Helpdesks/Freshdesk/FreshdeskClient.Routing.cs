using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>Routing: the ticket's group, priority and custom fields, read with the ticket and set by Update Ticket.</summary>
internal sealed partial class FreshdeskClient
{
    /// <summary>Freshdesk's numbered priorities: 1 Low, 2 Medium, 3 High, 4 Urgent; Medium is the neutral <c>normal</c>.</summary>
    private static readonly string[] PriorityNames = ["low", "normal", "high", "urgent"];

    /// <summary>
    /// Sets only what the route names, in one Update Ticket (<c>group_id</c>, <c>priority</c>, <c>custom_fields</c> by
    /// field name); the same values twice change nothing, so a retry is harmless.
    /// </summary>
    public Task<HelpdeskResult> SetRouteAsync(string ticketId, TicketRoute route, CancellationToken ct)
    {
        if (route.IsEmpty)
            return Task.FromResult(HelpdeskResult.Ok(ticketId));
        if (route.GroupId is { } g && !long.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return Task.FromResult(HelpdeskResult.Permanent($"Freshdesk group ids are numbers; '{g}' is not."));
        int? priority = route.Priority is { } p ? Array.IndexOf(PriorityNames, p) + 1 : null;
        if (priority == 0)
            return Task.FromResult(HelpdeskResult.Permanent($"'{route.Priority}' is not a priority Freshdesk knows."));
        var update = new FreshdeskRouteUpdate(
            route.GroupId is { } group ? long.Parse(group, CultureInfo.InvariantCulture) : null,
            priority,
            route.Fields.Count == 0 ? null : route.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
        return _answers.WriteAsync(api.UpdateRouteAsync(ticketId, update, ct), "the route", ticketId, ct);
    }

    private static TicketRoute RouteOf(FreshdeskTicket ticket) => new(
        ticket.GroupId?.ToString(CultureInfo.InvariantCulture),
        ticket.Priority is >= 1 and <= 4 ? PriorityNames[ticket.Priority.Value - 1] : null,
        (ticket.CustomFields ?? []).Where(f => f.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            .ToDictionary(f => f.Key, f => f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString() ?? "" : f.Value.GetRawText(), StringComparer.Ordinal));
}

/// <summary><c>PUT /api/v2/tickets/{id}</c> with the routing attributes only; unset ones are left out.</summary>
internal sealed record FreshdeskRouteUpdate(
    [property: JsonPropertyName("group_id")] long? GroupId,
    [property: JsonPropertyName("priority")] int? Priority,
    [property: JsonPropertyName("custom_fields")] Dictionary<string, string>? CustomFields);

