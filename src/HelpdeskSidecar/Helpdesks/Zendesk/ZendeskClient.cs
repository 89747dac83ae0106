using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using HelpdeskSidecar.Helpdesks.Http;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>Typed client for the Zendesk Support API: show ticket, list comments (cursor pages), add an internal note.</summary>
internal sealed partial class ZendeskClient(HttpClient http, TimeProvider time) : IHelpdesk
{
    public const int PageSize = 100;

    /// <summary>Stop following cursors after this many pages; a ticket with 10,000 comments is not a support conversation.</summary>
    private const int MaxPages = 100;

    public string Provider => "zendesk";

    public async Task<HelpdeskTicket> GetTicketAsync(string ticketId, CancellationToken ct)
    {
        var envelope = await GetJsonAsync($"api/v2/tickets/{Uri.EscapeDataString(ticketId)}", ZendeskJsonContext.Default.ZendeskTicketEnvelope, ct);
        var ticket = envelope.Ticket ?? throw new HelpdeskException($"Zendesk returned no ticket {ticketId}.", retryable: false);

        var comments = new List<ZendeskComment>();
        var users = new Dictionary<long, ZendeskUser>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var url = $"api/v2/tickets/{Uri.EscapeDataString(ticketId)}/comments?include=users&page[size]={PageSize}"
                + (cursor is null ? "" : $"&page[after]={Uri.EscapeDataString(cursor)}");
            var result = await GetJsonAsync(url, ZendeskJsonContext.Default.ZendeskCommentPage, ct);
            comments.AddRange(result.Comments ?? []);
            foreach (var user in result.Users ?? [])
                users[user.Id] = user;
            if (result.Meta is not { HasMore: true, AfterCursor: { Length: > 0 } next })
                break;
            cursor = next;
        }
        await AddMissingUsersAsync(users, comments.Select(c => c.AuthorId).Append(ticket.RequesterId), ct);
        return ZendeskMapping.ToTicket(ticket, comments, users) with { BrandName = await BrandNameAsync(ticket.BrandId, ct) };
    }

    /// <summary>Brand names rarely change and a helpdesk has few brands: one Show Brand per brand an hour.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri?, long), (string? Name, DateTimeOffset Until)> _brandNames = new();

    private async Task<string?> BrandNameAsync(long? brandId, CancellationToken ct)
    {
        if (brandId is not { } id)
            return null;
        var key = (http.BaseAddress, id);
        if (_brandNames.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
            return cached.Name;
        try
        {
            var name = (await FindAsync($"api/v2/brands/{id.ToString(CultureInfo.InvariantCulture)}", ZendeskJsonContext.Default.ZendeskBrandEnvelope, ct))?.Brand?.Name;
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
            var list = string.Join(',', chunk.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            var found = await FindAsync($"api/v2/users/show_many?ids={list}", ZendeskJsonContext.Default.ZendeskUserList, ct);
            foreach (var user in found?.Users ?? [])
                users[user.Id] = user;
        }
    }

    public Task<HelpdeskResult> AddInternalNoteAsync(string ticketId, string body, CancellationToken ct)
    {
        var request = new ZendeskTicketUpdateRequest(new ZendeskTicketUpdate(new ZendeskNewComment(body, Public: false)));
        return SendAsync(() => http.PutAsJsonAsync(
            $"api/v2/tickets/{Uri.EscapeDataString(ticketId)}", request, ZendeskJsonContext.Default.ZendeskTicketUpdateRequest, ct), "the note", ticketId, ct);
    }

    /// <summary>
    /// Adds tags with <c>PUT /api/v2/tickets/{id}/tags</c>, which adds to the existing ones (<c>POST</c> on the same
    /// path replaces them all, so it is never used). Adding is idempotent, so a retry needs no check.
    /// </summary>
    public Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyList<string> tags, CancellationToken ct) =>
        tags.Count == 0 ? Task.FromResult(HelpdeskResult.Ok(ticketId)) : SendAsync(() => http.PutAsJsonAsync(
            $"api/v2/tickets/{Uri.EscapeDataString(ticketId)}/tags", new ZendeskTagsRequest(tags), ZendeskJsonContext.Default.ZendeskTagsRequest, ct), "the tags", ticketId, ct);

    private async Task<HelpdeskResult> SendAsync(Func<Task<HttpResponseMessage>> send, string what, string ticketId, CancellationToken ct)
    {
        try
        {
            using var response = await send();
            if (response.IsSuccessStatusCode)
                return HelpdeskResult.Ok(ticketId);
            var error = $"Zendesk answered {(int)response.StatusCode} to {what} on ticket {ticketId}.";
            return IsTransient(response.StatusCode)
                ? HelpdeskResult.Transient(error, DelayUntil(response))
                : HelpdeskResult.Permanent(error);
        }
        catch (BrokenCircuitException ex)
        {
            return HelpdeskResult.Transient("The Zendesk circuit is open.", time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The write may or may not have happened: the write-back looks for its marker before trying again.
            return HelpdeskResult.Transient($"{what} on ticket {ticketId} did not complete: {NetworkFailure.Describe(ex)}.");
        }
    }

    private async Task<T> GetJsonAsync<T>(string url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, ct);
        }
        catch (BrokenCircuitException ex)
        {
            throw new HelpdeskException("The Zendesk circuit is open.", retryable: true, time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new HelpdeskException($"Zendesk could not be reached: {NetworkFailure.Describe(ex)}.", retryable: true);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HelpdeskException(
                    $"Zendesk answered {(int)response.StatusCode} to GET {url.Split('?')[0]}.", IsTransient(response.StatusCode), DelayUntil(response))
                {
                    NotFound = response.StatusCode == HttpStatusCode.NotFound,
                };
            }
            try
            {
                return await response.Content.ReadFromJsonAsync(typeInfo, ct)
                    ?? throw new HelpdeskException($"Zendesk returned an empty body for GET {url.Split('?')[0]}.", retryable: true);
            }
            catch (JsonException ex)
            {
                throw new HelpdeskException($"Zendesk returned JSON we cannot read for GET {url.Split('?')[0]}: {ex.Message}", retryable: true);
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private DateTimeOffset? DelayUntil(HttpResponseMessage response) =>
        ResilienceHandler.RetryAfterDelay(response, time) is { } wait ? time.GetUtcNow() + wait : null;
}
