using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HelpdeskSidecar.Helpdesks.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>
/// Typed client for the Freshdesk API v2: view a ticket, list its conversations (pages followed through the
/// <c>Link</c> header), create a private note. Authenticated with an API key as Basic <c>{key}:X</c>.
/// </summary>
internal sealed partial class FreshdeskClient(HttpClient http, TimeProvider time) : IHelpdesk
{
    public const int PageSize = 100;

    /// <summary>Stop following pages after this many; 10,000 conversations is not a support ticket.</summary>
    private const int MaxPages = 100;

    public string Provider => "freshdesk";

    public async Task<HelpdeskTicket> GetTicketAsync(string ticketId, CancellationToken ct)
    {
        var id = Uri.EscapeDataString(ticketId);
        var (ticket, _) = await GetJsonAsync(new Uri($"api/v2/tickets/{id}?include=requester", UriKind.Relative), FreshdeskJsonContext.Default.FreshdeskTicket, ct);
        var conversations = await ListConversationsAsync(ticketId, ct);
        var mapped = FreshdeskMapping.ToTicket(ticket, conversations);
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var agentId in mapped.Comments.Where(c => c.AuthorRole == AuthorRole.Agent).Select(c => c.AuthorId).OfType<string>().Distinct())
        {
            if (await AgentNameAsync(agentId, ct) is { } name)
                agents[agentId] = name;
        }
        return mapped with { AgentNames = agents };
    }

    /// <summary>Agents' names change rarely: one View Agent per agent an hour, for the reports by agent.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri?, string), (string? Name, DateTimeOffset Until)> _agentNames = new();

    /// <summary>The agent's name, or null when Freshdesk does not know them or cannot say now (a name never fails a run).</summary>
    private async Task<string?> AgentNameAsync(string agentId, CancellationToken ct)
    {
        var key = (http.BaseAddress, agentId);
        if (_agentNames.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
            return cached.Name;
        try
        {
            var agent = await FindAsync(new Uri($"api/v2/agents/{Uri.EscapeDataString(agentId)}", UriKind.Relative), FreshdeskJsonContext.Default.FreshdeskAgent, ct);
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
        GetAllPagesAsync(new Uri($"api/v2/tickets/{Uri.EscapeDataString(ticketId)}/conversations?per_page={PageSize}", UriKind.Relative),
            FreshdeskJsonContext.Default.ListFreshdeskConversation, ct);

    /// <summary>
    /// Follows the <c>Link</c> header from the first page to the last (at most <see cref="MaxPages"/>); when the cap
    /// stops it with a next page still named, <paramref name="completeness"/> (if given) is marked cut off.
    /// </summary>
    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(Uri first, JsonTypeInfo<List<T>> typeInfo, CancellationToken ct, ListingCompleteness? completeness = null)
    {
        var all = new List<T>();
        Uri? next = first;
        for (var page = 0; page < MaxPages && next is not null; page++)
        {
            var (items, response) = await GetJsonAsync(next, typeInfo, ct);
            all.AddRange(items);
            next = LinkHeader.Next(response, http.BaseAddress!);
        }
        if (next is not null)
            completeness?.CutOffAt(MaxPages);
        return all;
    }

    public async Task<HelpdeskResult> AddInternalNoteAsync(string ticketId, string body, CancellationToken ct)
    {
        var note = new FreshdeskNewNote(FreshdeskMapping.NoteHtml(body), Private: true);
        try
        {
            using var response = await http.PostAsJsonAsync(
                $"api/v2/tickets/{Uri.EscapeDataString(ticketId)}/notes", note, FreshdeskJsonContext.Default.FreshdeskNewNote, ct);
            if (response.IsSuccessStatusCode)
            {
                var created = await ReadNoteIdAsync(response, ct);
                return HelpdeskResult.Ok(created);
            }
            var error = $"Freshdesk answered {(int)response.StatusCode} to the note on ticket {ticketId}.";
            return IsTransient(response.StatusCode)
                ? HelpdeskResult.Transient(error, DelayUntil(response))
                : HelpdeskResult.Permanent(error);
        }
        catch (BrokenCircuitException ex)
        {
            return HelpdeskResult.Transient("The Freshdesk circuit is open.", time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The note may or may not have been written: the write-back looks for its marker before trying again.
            return HelpdeskResult.Transient($"The note on ticket {ticketId} did not complete: {NetworkFailure.Describe(ex)}.");
        }
    }

    /// <summary>
    /// Adds tags to a ticket. Freshdesk's Update Ticket replaces the whole list, so this reads the current tags and
    /// writes their union (nothing when every tag is already there). Freshdesk offers no version check: an agent's
    /// edit landing between the read and the write is lost, which is why only the union is ever written.
    /// </summary>
    public async Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var id = Uri.EscapeDataString(ticketId);
        List<string> current;
        try
        {
            var (ticket, _) = await GetJsonAsync(new Uri($"api/v2/tickets/{id}", UriKind.Relative), FreshdeskJsonContext.Default.FreshdeskTicket, ct);
            current = ticket.Tags ?? [];
        }
        catch (HelpdeskException ex)
        {
            return ex.Retryable ? HelpdeskResult.Transient(ex.Message, ex.DelayUntil) : HelpdeskResult.Permanent(ex.Message);
        }
        var missing = tags.Where(t => !current.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count == 0)
            return HelpdeskResult.Ok(ticketId);
        try
        {
            using var response = await http.PutAsJsonAsync(
                $"api/v2/tickets/{id}", new FreshdeskTagsUpdate([.. current, .. missing]), FreshdeskJsonContext.Default.FreshdeskTagsUpdate, ct);
            if (response.IsSuccessStatusCode)
                return HelpdeskResult.Ok(ticketId);
            var error = $"Freshdesk answered {(int)response.StatusCode} to the tags on ticket {ticketId}.";
            return IsTransient(response.StatusCode) ? HelpdeskResult.Transient(error, DelayUntil(response)) : HelpdeskResult.Permanent(error);
        }
        catch (BrokenCircuitException ex)
        {
            return HelpdeskResult.Transient("The Freshdesk circuit is open.", time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return HelpdeskResult.Transient($"The tags on ticket {ticketId} did not complete: {NetworkFailure.Describe(ex)}.");
        }
    }

    private static async Task<string?> ReadNoteIdAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var note = await response.Content.ReadFromJsonAsync(FreshdeskJsonContext.Default.FreshdeskConversation, ct);
            return note?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (JsonException)
        {
            return null; // written all the same; the id is only informative
        }
    }

    private async Task<(T Value, HttpResponseMessage Response)> GetJsonAsync<T>(Uri url, JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        var path = url.IsAbsoluteUri ? url.AbsolutePath : url.OriginalString.Split('?')[0];
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (BrokenCircuitException ex)
        {
            throw new HelpdeskException("The Freshdesk circuit is open.", retryable: true, time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new HelpdeskException($"Freshdesk could not be reached: {NetworkFailure.Describe(ex)}.", retryable: true);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new HelpdeskException($"Freshdesk answered {(int)response.StatusCode} to GET {path}.", IsTransient(response.StatusCode), DelayUntil(response))
                {
                    NotFound = response.StatusCode == HttpStatusCode.NotFound,
                };
            try
            {
                var value = await response.Content.ReadFromJsonAsync(typeInfo, ct)
                    ?? throw new HelpdeskException($"Freshdesk returned an empty body for GET {path}.", retryable: true);
                return (value, response);
            }
            catch (JsonException ex)
            {
                throw new HelpdeskException($"Freshdesk returned JSON we cannot read for GET {path}: {ex.Message}", retryable: true);
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private DateTimeOffset? DelayUntil(HttpResponseMessage response) =>
        ResilienceHandler.RetryAfterDelay(response, time) is { } wait ? time.GetUtcNow() + wait : null;
}
