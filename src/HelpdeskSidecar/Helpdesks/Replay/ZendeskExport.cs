using System.Text.Json;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Helpdesks.Zendesk;

namespace HelpdeskSidecar.Helpdesks.Replay;

/// <summary>
/// A Zendesk export file: an incremental ticket export page with the <c>users</c> sideload, plus the
/// comment events of the incremental ticket event export (<c>include=comment_events</c>).
/// </summary>
internal sealed record ZendeskExport
{
    [JsonPropertyName("tickets")] public List<ZendeskTicket> Tickets { get; init; } = [];
    [JsonPropertyName("users")] public List<ZendeskUser> Users { get; init; } = [];

    /// <summary>The <c>organizations</c> sideload, when the export has it (for customer segments).</summary>
    [JsonPropertyName("organizations")] public List<ZendeskOrganization>? Organizations { get; init; }
    [JsonPropertyName("ticket_events")] public List<ZendeskTicketEvent> TicketEvents { get; init; } = [];

    public static ZendeskExport Load(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize(stream, ReplayJsonContext.Default.ZendeskExport)
                ?? throw new InvalidDataException($"{path} holds no export.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a Zendesk export: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Each ticket's requester profile from the sideloads: the user's tags and fields, the ticket's organization (else
    /// the user's). Missing sideloads leave the customer in no segment.
    /// </summary>
    public IReadOnlyDictionary<string, HelpdeskCustomer> Customers()
    {
        var users = (Users ?? []).ToDictionary(u => u.Id);
        var organizations = (Organizations ?? []).ToDictionary(o => o.Id);
        return Tickets.ToDictionary(
            t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            t =>
            {
                var user = t.RequesterId is { } r ? users.GetValueOrDefault(r) : null;
                var organizationId = t.OrganizationId ?? user?.OrganizationId;
                return ZendeskMapping.ToCustomer(user, organizationId is { } o ? organizations.GetValueOrDefault(o) : null);
            });
    }

    /// <summary>Each ticket with its whole conversation, oldest comment first.</summary>
    public IEnumerable<HelpdeskTicket> ToTickets()
    {
        var users = Users.ToDictionary(u => u.Id);
        var commentsByTicket = TicketEvents
            .SelectMany(e => e.ChildEvents.Where(c => c.EventType == "Comment").Select(c => (e.TicketId, Comment: new ZendeskComment
            {
                Id = c.Id,
                Body = c.Body,
                Public = c.Public,
                AuthorId = c.AuthorId ?? e.UpdaterId,
                CreatedAt = e.CreatedAt,
            })))
            .ToLookup(x => x.TicketId, x => x.Comment);
        foreach (var ticket in Tickets)
            yield return ZendeskMapping.ToTicket(ticket, commentsByTicket[ticket.Id].ToList(), users);
    }
}

internal sealed record ZendeskTicketEvent
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("ticket_id")] public long TicketId { get; init; }
    [JsonPropertyName("updater_id")] public long? UpdaterId { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName("child_events")] public List<ZendeskChildEvent> ChildEvents { get; init; } = [];
}

internal sealed record ZendeskChildEvent
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("event_type")] public string? EventType { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("public")] public bool Public { get; init; }
    [JsonPropertyName("author_id")] public long? AuthorId { get; init; }
}

[JsonSerializable(typeof(ZendeskExport))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext;
