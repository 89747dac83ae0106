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
        ZendeskExport? export;
        try
        {
            export = JsonSerializer.Deserialize(stream, ReplayJsonContext.Default.ZendeskExport);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a Zendesk export: {Hosting.Excerpt.OfJsonError(ex)}", ex);
        }
        if (export?.Tickets is not { Count: > 0 })
            throw new InvalidDataException($"{path} holds no Zendesk tickets.");
        if (export.Problem() is { } problem)
            throw new InvalidDataException($"{path} is not a Zendesk export: {problem}.");
        return export;
    }

    /// <summary>
    /// What makes the file unusable as an export, or null: JSON that parses can still lack a list, hold a null
    /// where an object belongs, or give two tickets (users, organizations) the same id.
    /// </summary>
    private string? Problem()
    {
        // Comment authors are told apart by the users sideload, and the agents' replies are the comment events:
        // without either list every draft would be scored against nothing.
        if (Users is null)
            return "\"users\" is missing (export with include=users)";
        if (TicketEvents is null)
            return "\"ticket_events\" is missing (the incremental ticket event export with include=comment_events)";
        if (Tickets.IndexOf(null!) is >= 0 and var t)
            return $"tickets[{t}] is null";
        if (Users.IndexOf(null!) is >= 0 and var u)
            return $"users[{u}] is null";
        if (TicketEvents.IndexOf(null!) is >= 0 and var e)
            return $"ticket_events[{e}] is null";
        if ((Organizations ?? []).IndexOf(null!) is >= 0 and var o)
            return $"organizations[{o}] is null";
        if (Tickets.FindIndex(x => x.Id <= 0) is >= 0 and var noId)
            return $"tickets[{noId}] has no \"id\"";
        return Duplicate("ticket", Tickets.Select(x => x.Id))
            ?? Duplicate("user", Users.Select(x => x.Id))
            ?? Duplicate("organization", (Organizations ?? []).Select(x => x.Id));
    }

    private static string? Duplicate(string what, IEnumerable<long> ids)
    {
        var seen = new HashSet<long>();
        foreach (var id in ids)
        {
            if (!seen.Add(id))
                return $"duplicate {what} id {id}";
        }
        return null;
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
            .SelectMany(e => (e.ChildEvents ?? []).Where(c => c is not null).Where(c => c.EventType == "Comment").Select(c => (e.TicketId, Comment: new ZendeskComment
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
    [JsonPropertyName("child_events")] public List<ZendeskChildEvent>? ChildEvents { get; init; }
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
