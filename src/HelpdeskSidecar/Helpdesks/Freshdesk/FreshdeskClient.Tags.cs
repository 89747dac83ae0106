using System.Net.Http.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

internal sealed partial class FreshdeskClient
{
    /// <summary>
    /// Adds tags to a ticket. Freshdesk's Update Ticket replaces the whole list, so this reads the current tags and
    /// writes their union (nothing when every tag is already there). Freshdesk offers no version check: an agent's
    /// edit landing between the read and the write is lost, which is why only the union is ever written.
    /// </summary>
    public async Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyCollection<string> tags, CancellationToken ct)
    {
        FreshdeskTicket current;
        try
        {
            (current, _) = await GetJsonAsync(new Uri($"api/v2/tickets/{Uri.EscapeDataString(ticketId)}", UriKind.Relative),
                FreshdeskJsonContext.Default.FreshdeskTicket, ct);
        }
        catch (HelpdeskException ex)
        {
            return ex.Retryable ? HelpdeskResult.Transient(ex.Message, ex.DelayUntil) : HelpdeskResult.Permanent(ex.Message);
        }
        var existing = current.Tags ?? [];
        var union = existing.Concat(tags.Where(t => !existing.Contains(t, StringComparer.OrdinalIgnoreCase))).ToList();
        if (union.Count == existing.Count)
            return HelpdeskResult.Ok(ticketId);
        try
        {
            using var response = await http.PutAsJsonAsync(
                $"api/v2/tickets/{Uri.EscapeDataString(ticketId)}", new FreshdeskTagsUpdate(union), FreshdeskJsonContext.Default.FreshdeskTagsUpdate, ct);
            if (response.IsSuccessStatusCode)
                return HelpdeskResult.Ok(ticketId);
            var error = $"Freshdesk answered {(int)response.StatusCode} to the tags of ticket {ticketId}.";
            return IsTransient(response.StatusCode) ? HelpdeskResult.Transient(error, DelayUntil(response)) : HelpdeskResult.Permanent(error);
        }
        catch (BrokenCircuitException ex)
        {
            return HelpdeskResult.Transient("The Freshdesk circuit is open.", time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Writing the same union again is harmless, so a retry needs no check.
            return HelpdeskResult.Transient($"The tags of ticket {ticketId} did not complete: {ex.GetType().Name}.");
        }
    }
}
