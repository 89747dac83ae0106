using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>Routing: the ticket's group, priority and custom fields, read with the ticket and set by Update Ticket.</summary>
internal sealed partial class ZendeskClient
{
    /// <summary>
    /// Sets only what the route names, in one Update Ticket (<c>{"ticket": {"group_id", "priority", "custom_fields"}}</c>);
    /// the same values twice change nothing, so a retry is harmless. Custom fields are Zendesk field ids (numbers).
    /// </summary>
    public Task<HelpdeskResult> SetRouteAsync(string ticketId, TicketRoute route, CancellationToken ct)
    {
        if (route.IsEmpty)
            return Task.FromResult(HelpdeskResult.Ok(ticketId));
        if (route.GroupId is { } g && !long.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return Task.FromResult(HelpdeskResult.Permanent($"Zendesk group ids are numbers; '{g}' is not."));
        var fields = new List<ZendeskCustomFieldValue>();
        foreach (var (key, value) in route.Fields)
        {
            if (!long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return Task.FromResult(HelpdeskResult.Permanent($"Zendesk custom fields are set by field id (a number); '{key}' is not one."));
            fields.Add(new ZendeskCustomFieldValue(id, JsonSerializer.SerializeToElement(value, ZendeskJsonContext.Default.String)));
        }
        var update = new ZendeskRouteUpdate(
            route.GroupId is { } group ? long.Parse(group, CultureInfo.InvariantCulture) : null,
            route.Priority,
            fields.Count == 0 ? null : fields);
        return _answers.WriteAsync(api.UpdateTicketRouteAsync(ticketId, new ZendeskRouteUpdateRequest(update), ct), "the route", ticketId, ct);
    }

    private static TicketRoute RouteOf(ZendeskTicket ticket) => new(
        ticket.GroupId?.ToString(CultureInfo.InvariantCulture),
        ticket.Priority,
        (ticket.CustomFields ?? []).Where(f => f.Value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined })
            .GroupBy(f => f.Id).ToDictionary(f => f.Key.ToString(CultureInfo.InvariantCulture), f => Text(f.First().Value!.Value), StringComparer.Ordinal));

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join(" ", value.EnumerateArray().Select(Text)),
        _ => value.GetRawText(),
    };
}

/// <summary>One custom field value on a ticket, as Zendesk reads and writes it: <c>{"id": 27642, "value": "745"}</c>.</summary>
internal sealed record ZendeskCustomFieldValue(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("value")] JsonElement? Value);

internal sealed record ZendeskRouteUpdateRequest([property: JsonPropertyName("ticket")] ZendeskRouteUpdate Ticket);

internal sealed record ZendeskRouteUpdate(
    [property: JsonPropertyName("group_id")] long? GroupId,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("custom_fields")] IReadOnlyList<ZendeskCustomFieldValue>? CustomFields);

