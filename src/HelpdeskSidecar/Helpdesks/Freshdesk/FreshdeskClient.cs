using System.Globalization;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.Options;
using Refit;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>
/// The Freshdesk API v2 for the pipeline: view a ticket, list its conversations (pages followed through the
/// <c>Link</c> header), create a private note, add tags. Authenticated with an API key as Basic <c>{key}:X</c>.
/// </summary>
internal sealed partial class FreshdeskClient(IFreshdeskApi api, IOptions<SidecarOptions> options, TimeProvider time) : IHelpdesk
{
    public const int PageSize = 100;

    /// <summary>Stop following pages after this many; 10,000 conversations is not a support ticket.</summary>
    private const int MaxPages = 100;

    private readonly HelpdeskAnswers _answers = new("Freshdesk", time);

    public string Provider => "freshdesk";

    public async Task<HelpdeskTicket> GetTicketAsync(string ticketId, CancellationToken ct)
    {
        var ticket = await _answers.ReadAsync(api.ViewTicketWithRequesterAsync(ticketId, ct), ct);
        var conversations = await ListConversationsAsync(ticketId, ct);
        var mapped = FreshdeskMapping.ToTicket(ticket, conversations);
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var agentId in mapped.Comments.Where(c => c.AuthorRole == AuthorRole.Agent).Select(c => c.AuthorId).OfType<string>().Distinct())
        {
            if (await AgentNameAsync(agentId, ct) is { } name)
                agents[agentId] = name;
        }
        return mapped with { AgentNames = agents, Route = RouteOf(ticket) };
    }

    /// <summary>Agents' names change rarely: one View Agent per agent an hour, for the reports by agent.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri, string), (string? Name, DateTimeOffset Until)> _agentNames = new();

    /// <summary>The agent's name, or null when Freshdesk does not know them or cannot say now (a name never fails a run).</summary>
    private async Task<string?> AgentNameAsync(string agentId, CancellationToken ct)
    {
        var key = (options.Value.Freshdesk.ResolveBaseUrl(), agentId);
        if (_agentNames.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
            return cached.Name;
        try
        {
            var agent = await _answers.FindAsync(api.ViewAgentAsync(agentId, ct), ct);
            _agentNames[key] = (agent?.Contact?.Name, time.GetUtcNow() + TimeSpan.FromHours(1));
            return agent?.Contact?.Name;
        }
        catch (HelpdeskException)
        {
            return null;
        }
    }

    /// <summary>Every conversation (replies and notes, not the description) of a ticket, oldest first.</summary>
    public Task<IReadOnlyList<FreshdeskConversation>> ListConversationsAsync(string ticketId, CancellationToken ct) =>
        GetAllPagesAsync((perPage, page) => api.ListConversationsAsync(ticketId, perPage, page, ct), ct);

    /// <summary>
    /// Follows the <c>Link</c> header from the first page to the last (at most <see cref="MaxPages"/>); when the cap
    /// stops it with a next page still named, <paramref name="completeness"/> (if given) is marked cut off. Only the
    /// page the link names is taken from it: every page is asked of the same list on the configured host.
    /// </summary>
    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(
        Func<int, int?, Task<IApiResponse<List<T>>>> list, CancellationToken ct, ListingCompleteness? completeness = null)
    {
        var all = new List<T>();
        LinkHeader.Page? next = new(PageSize, Number: null);
        for (var page = 0; page < MaxPages && next is not null; page++)
        {
            using var response = await list(next.PerPage, next.Number);
            all.AddRange(_answers.Read(response, ct));
            next = LinkHeader.Next(response.Headers);
            if (next is { Number: null })
                throw new HelpdeskException("Freshdesk named a next page without a page number; the list cannot be read to its end.", retryable: false);
        }
        if (next is not null)
            completeness?.CutOffAt(MaxPages);
        return all;
    }

    public Task<HelpdeskResult> AddInternalNoteAsync(string ticketId, string body, CancellationToken ct)
    {
        var note = new FreshdeskNewNote(FreshdeskMapping.NoteHtml(body), Private: true);
        // The created note's id is only informative: a body Refit cannot read still means the note was written.
        return _answers.WriteAsync(api.CreateNoteAsync(ticketId, note, ct), "the note", ticketId, ct,
            createdId: response => response.Error is null ? response.Content?.Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// Adds tags to a ticket. Freshdesk's Update Ticket replaces the whole list, so this reads the current tags and
    /// writes their union (nothing when every tag is already there). Freshdesk offers no version check: an agent's
    /// edit landing between the read and the write is lost, which is why only the union is ever written.
    /// </summary>
    public async Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyList<string> tags, CancellationToken ct)
    {
        List<string> current;
        try
        {
            current = (await _answers.ReadAsync(api.ViewTicketAsync(ticketId, ct), ct)).Tags ?? [];
        }
        catch (HelpdeskException ex)
        {
            return ex.Retryable ? HelpdeskResult.Transient(ex.Message, ex.DelayUntil) : HelpdeskResult.Permanent(ex.Message);
        }
        var missing = tags.Where(t => !current.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count == 0)
            return HelpdeskResult.Ok(ticketId);
        return await _answers.WriteAsync(api.UpdateTagsAsync(ticketId, new FreshdeskTagsUpdate([.. current, .. missing]), ct), "the tags", ticketId, ct);
    }
}
