using HelpdeskSidecar.Helpdesks;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Copilot.History;

/// <summary>
/// Verified resolution, as the pipeline sees tickets go by: a drafted ticket that is solved starts its window
/// (<see cref="ResolutionOptions.Window"/>); within it, the ticket open again (a status change the webhook told us of) or a
/// new ticket of the same requester on the same theme (same intent, or questions alike enough) makes it not verified.
/// Time comes from the <see cref="TimeProvider"/>: the moment the sidecar saw the change.
/// </summary>
internal sealed partial class ResolutionTracker(TicketOutcomeStore store, IOptions<ResolutionOptions> options, TimeProvider time, ILogger<ResolutionTracker> logger)
{
    /// <summary>Called on every run with the ticket as the helpdesk has it now: a solve, or a reopen within the window.</summary>
    public async Task ObserveStatusAsync(HelpdeskTicket ticket, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (ticket.Status is "solved" or "closed")
        {
            if (await store.MarkSolvedAsync(ticket.Provider, ticket.Id, now, ct))
                LogSolved(ticket.Provider, ticket.Id);
        }
        else if (await store.MarkReopenedAsync(ticket.Provider, ticket.Id, now, now - options.Value.Window, ct))
            LogReopened(ticket.Provider, ticket.Id);
    }

    /// <summary>
    /// After a suggestion: remember the ticket (requester, intent, redacted question, the draft if it is one), then mark the
    /// requester's recently solved drafted tickets on the same theme as recontacted by this one.
    /// </summary>
    public async Task RecordRunAsync(HelpdeskTicket ticket, string? intent, string? question, string? draftSuggestionId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await store.RecordRunAsync(ticket.Provider, ticket.Id, ticket.RequesterId, intent, question, draftSuggestionId, now, ct);
        if (ticket.RequesterId is not { Length: > 0 } requester)
            return;
        foreach (var earlier in await store.RecontactCandidatesAsync(ticket.Provider, requester, ticket.Id, now - options.Value.Window, ct))
        {
            if (!SameTheme(earlier, intent, question, options.Value.SimilarityThreshold))
                continue;
            if (await store.MarkRecontactedAsync(ticket.Provider, earlier.TicketId, ticket.Id, now, ct))
                LogRecontacted(ticket.Provider, earlier.TicketId, ticket.Id);
        }
    }

    /// <summary>Same intent (both known), or the redacted questions' word similarity at or above the threshold.</summary>
    public static bool SameTheme(TicketOutcome earlier, string? intent, string? question, double threshold) =>
        (intent is not null && string.Equals(earlier.Intent, intent, StringComparison.OrdinalIgnoreCase))
        || (earlier.Summary is { } before && question is { } now && Suggestions.ReplySimilarity.Cosine(before, now) >= threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verified resolution: {Provider} ticket {TicketId} solved, window started")]
    private partial void LogSolved(string provider, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verified resolution: {Provider} ticket {TicketId} reopened within the window")]
    private partial void LogReopened(string provider, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verified resolution: {Provider} ticket {TicketId} recontacted by ticket {NewTicketId} within the window")]
    private partial void LogRecontacted(string provider, string ticketId, string newTicketId);
}
