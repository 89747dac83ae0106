using System.Globalization;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>The Zendesk Support API for the pipeline: show ticket, list comments (cursor pages), add an internal note, add tags.</summary>
internal sealed partial class ZendeskClient(IZendeskApi api, IOptions<SidecarOptions> options, TimeProvider time) : IHelpdesk
{
    public const int PageSize = 100;

    /// <summary>Stop following cursors after this many pages; a ticket with 10,000 comments is not a support conversation.</summary>
    private const int MaxPages = 100;

    private readonly HelpdeskAnswers _answers = new("Zendesk", time);

    public string Provider => "zendesk";

    public async Task<HelpdeskTicket> GetTicketAsync(string ticketId, CancellationToken ct)
    {
        var envelope = await _answers.ReadAsync(api.ShowTicketAsync(ticketId, ct), ct);
        var ticket = envelope.Ticket ?? throw new HelpdeskException($"Zendesk returned no ticket {ticketId}.", retryable: false);

        var comments = new List<ZendeskComment>();
        var users = new Dictionary<long, ZendeskUser>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await _answers.ReadAsync(cursor is null
                ? api.ListCommentsAsync(ticketId, PageSize, ct)
                : api.ListCommentsAfterAsync(ticketId, PageSize, cursor, ct), ct);
            comments.AddRange(result.Comments ?? []);
            foreach (var user in result.Users ?? [])
                users[user.Id] = user;
            if (result.Meta is not { HasMore: true, AfterCursor: { Length: > 0 } next })
                break;
            cursor = next;
        }
        await AddMissingUsersAsync(users, comments.Select(c => c.AuthorId).Append(ticket.RequesterId), ct);
        return ZendeskMapping.ToTicket(ticket, comments, users) with { BrandName = await BrandNameAsync(ticket.BrandId, ct), Route = RouteOf(ticket) };
    }

    /// <summary>Brand names rarely change and a helpdesk has few brands: one Show Brand per brand an hour.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri, long), (string? Name, DateTimeOffset Until)> _brandNames = new();

    private async Task<string?> BrandNameAsync(long? brandId, CancellationToken ct)
    {
        if (brandId is not { } id)
            return null;
        var key = (options.Value.Zendesk.ResolveBaseUrl(), id);
        if (_brandNames.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
            return cached.Name;
        try
        {
            var name = (await _answers.FindAsync(api.ShowBrandAsync(id, ct), ct))?.Brand?.Name;
            _brandNames[key] = (name, time.GetUtcNow() + TimeSpan.FromHours(1));
            return name;
        }
        catch (HelpdeskException)
        {
            return null; // a name is for reports: it never fails a run, and is asked for again next time
        }
    }

    /// <summary>Most users a Show Many Users call takes.</summary>
    private const int ShowManyLimit = 100;

    /// <summary>
    /// The <c>include=users</c> sideload may leave out an author (a customer in CC, a list cut short); guessing their
    /// role would take a customer for an agent and the ticket for answered. So they are fetched with Show Many Users;
    /// only a user Zendesk does not know (absent from the answer, or a 404) falls back to the requester rule.
    /// A failure to ask is a failure of the run (retried), never a guess.
    /// </summary>
    private async Task AddMissingUsersAsync(Dictionary<long, ZendeskUser> users, IEnumerable<long?> ids, CancellationToken ct)
    {
        var missing = ids.OfType<long>().Where(id => id > 0 && !users.ContainsKey(id)).Distinct().Order().ToList();
        foreach (var chunk in missing.Chunk(ShowManyLimit))
        {
            var found = await _answers.FindAsync(api.ShowManyUsersAsync(chunk, ct), ct);
            foreach (var user in found?.Users ?? [])
                users[user.Id] = user;
        }
    }

    public Task<HelpdeskResult> AddInternalNoteAsync(string ticketId, string body, CancellationToken ct)
    {
        var update = new ZendeskTicketUpdateRequest(new ZendeskTicketUpdate(new ZendeskNewComment(body, Public: false)));
        return _answers.WriteAsync(api.UpdateTicketAsync(ticketId, update, ct), "the note", ticketId, ct);
    }

    /// <summary>
    /// Adds tags with <c>PUT /api/v2/tickets/{id}/tags</c>, which adds to the existing ones (<c>POST</c> on the same
    /// path replaces them all, so it is never used). Adding is idempotent, so a retry needs no check.
    /// </summary>
    public Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyList<string> tags, CancellationToken ct) =>
        tags.Count == 0
            ? Task.FromResult(HelpdeskResult.Ok(ticketId))
            : _answers.WriteAsync(api.AddTagsAsync(ticketId, new ZendeskTagsRequest(tags), ct), "the tags", ticketId, ct);
}
