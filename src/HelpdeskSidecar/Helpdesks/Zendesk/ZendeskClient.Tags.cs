using System.Net.Http.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

internal sealed partial class ZendeskClient
{
    /// <summary>
    /// Adds tags with <c>PUT /api/v2/tickets/{id}/tags</c>, which adds to the existing ones (<c>POST</c> on the same
    /// path replaces them all, so it is never used). Adding is idempotent, so a retry needs no check.
    /// </summary>
    public async Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyCollection<string> tags, CancellationToken ct)
    {
        if (tags.Count == 0)
            return HelpdeskResult.Ok(ticketId);
        try
        {
            using var response = await http.PutAsJsonAsync(
                $"api/v2/tickets/{Uri.EscapeDataString(ticketId)}/tags", new ZendeskTags(tags.ToList()), ZendeskJsonContext.Default.ZendeskTags, ct);
            if (response.IsSuccessStatusCode)
                return HelpdeskResult.Ok(ticketId);
            var error = $"Zendesk answered {(int)response.StatusCode} to the tags of ticket {ticketId}.";
            return IsTransient(response.StatusCode) ? HelpdeskResult.Transient(error, DelayUntil(response)) : HelpdeskResult.Permanent(error);
        }
        catch (BrokenCircuitException ex)
        {
            return HelpdeskResult.Transient("The Zendesk circuit is open.", time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return HelpdeskResult.Transient($"The tags of ticket {ticketId} did not complete: {ex.GetType().Name}.");
        }
    }
}
