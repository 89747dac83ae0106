using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Suggestions;

internal enum WriteBackOutcome
{
    Written,
    AlreadyWritten,
    RetryLater,
    Failed,
}

internal sealed record WriteBackResult(WriteBackOutcome Outcome, string? Reason = null, DateTimeOffset? DelayUntil = null);

/// <summary>
/// Writes a suggestion's note to its ticket at most once. Every attempt is counted before it is made; any attempt
/// after the first looks for a note carrying the suggestion's marker among the ticket's comments before posting,
/// so a retry after a lost response or a crash posts nothing twice, and the common first attempt costs one call.
/// </summary>
internal sealed partial class SuggestionWriteBack(
    SuggestionStore store, HelpdeskRegistry helpdesks, Routing.RouteWrites routeWrites, ILogger<SuggestionWriteBack> logger)
{
    public async Task<WriteBackResult> WriteAsync(string suggestionId, CancellationToken ct)
    {
        if (await store.GetAsync(suggestionId, ct) is not { } suggestion)
            return new WriteBackResult(WriteBackOutcome.Failed, "The suggestion no longer exists.");
        if (suggestion.Status == SuggestionStatus.Written)
            return new WriteBackResult(WriteBackOutcome.AlreadyWritten);
        if (!helpdesks.TryGet(suggestion.Provider, out var helpdesk))
        {
            await store.MarkWriteFailedAsync(suggestionId, $"No helpdesk '{suggestion.Provider}' is configured.", ct);
            return new WriteBackResult(WriteBackOutcome.Failed, $"No helpdesk '{suggestion.Provider}' is configured.");
        }

        var earlierAttempts = await store.BeginWriteAttemptAsync(suggestionId, ct);
        if (earlierAttempts > 0)
        {
            try
            {
                var ticket = await helpdesk.GetTicketAsync(suggestion.TicketId, ct);
                if (ticket.Comments.Any(c => c.Body.Contains(suggestion.Marker, StringComparison.Ordinal)))
                {
                    if ((await ApplyTagsAsync(helpdesk, suggestion, ct) ?? await ApplyRouteAsync(helpdesk, suggestion, ct)) is { } tagFailure)
                        return tagFailure;
                    await store.MarkWrittenAsync(suggestionId, ct);
                    return new WriteBackResult(WriteBackOutcome.AlreadyWritten);
                }
            }
            catch (HelpdeskException ex)
            {
                return await FailedAsync(suggestion.Id, ex.Message, ex.Retryable, ex.DelayUntil, ct);
            }
        }

        var result = await helpdesk.AddInternalNoteAsync(suggestion.TicketId, suggestion.Note, ct);
        if (result.Succeeded)
        {
            // The note is there: a failure from here on is retried, finds the marker, and only tags again.
            if ((await ApplyTagsAsync(helpdesk, suggestion, ct) ?? await ApplyRouteAsync(helpdesk, suggestion, ct)) is { } tagFailure)
                return tagFailure;
            await store.MarkWrittenAsync(suggestionId, ct);
            LogWritten(suggestion.Id, suggestion.Provider, suggestion.TicketId);
            return new WriteBackResult(WriteBackOutcome.Written);
        }
        return await FailedAsync(suggestion.Id, result.Error ?? "unknown error", result.Retryable, result.DelayUntil, ct);
    }

    /// <summary>Adds the tags the rules put in <c>auto</c>; adding a tag twice is harmless, so a retry may repeat it.</summary>
    /// <returns>Null when there was nothing to do or it worked; else the failure to report.</returns>
    private async Task<WriteBackResult?> ApplyTagsAsync(IHelpdesk helpdesk, Suggestion suggestion, CancellationToken ct)
    {
        var tags = suggestion.Trace.Tagging.Where(t => t.Action == Tagging.TagDecision.Apply).Select(t => t.Tag).Distinct().ToList();
        if (tags.Count == 0)
            return null;
        var result = await helpdesk.AddTagsAsync(suggestion.TicketId, tags, ct);
        if (result.Succeeded)
        {
            LogTagged(suggestion.Id, tags.Count, suggestion.Provider, suggestion.TicketId);
            return null;
        }
        return await FailedAsync(suggestion.Id, result.Error ?? "unknown error", result.Retryable, result.DelayUntil, ct);
    }

    /// <summary>
    /// Sets the route fields the routing rules put in <c>auto</c> (group, priority, custom fields), in one update, once:
    /// what was written is recorded per target, so a retry sends only what is still missing and never overrules an agent
    /// who moved the ticket since.
    /// </summary>
    private async Task<WriteBackResult?> ApplyRouteAsync(IHelpdesk helpdesk, Suggestion suggestion, CancellationToken ct)
    {
        var auto = suggestion.Trace.Routing.Where(r => r.Action == Routing.RouteDecision.Apply).DistinctBy(r => r.Target).ToList();
        if (auto.Count == 0)
            return null;
        var done = await routeWrites.WrittenAsync(suggestion.Id, ct);
        var pending = auto.Where(r => !done.Contains(r.Target)).ToList();
        if (pending.Count == 0)
            return null;
        var result = await helpdesk.SetRouteAsync(suggestion.TicketId, Routing.RouteDecision.ToRoute(pending), ct);
        if (result.Succeeded)
        {
            await routeWrites.RecordAsync(suggestion.Id, pending, ct);
            LogRouted(suggestion.Id, pending.Count, suggestion.Provider, suggestion.TicketId);
            return null;
        }
        return await FailedAsync(suggestion.Id, result.Error ?? "unknown error", result.Retryable, result.DelayUntil, ct);
    }

    private async Task<WriteBackResult> FailedAsync(string id, string reason, bool retryable, DateTimeOffset? delayUntil, CancellationToken ct)
    {
        if (!retryable)
        {
            await store.MarkWriteFailedAsync(id, reason, ct);
            return new WriteBackResult(WriteBackOutcome.Failed, reason);
        }
        await store.RecordWriteFailureAsync(id, reason, ct);
        return new WriteBackResult(WriteBackOutcome.RetryLater, reason, delayUntil);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote suggestion {SuggestionId} to {Provider} ticket {TicketId}")]
    private partial void LogWritten(string suggestionId, string provider, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggestion {SuggestionId} set {FieldCount} route fields on {Provider} ticket {TicketId}")]
    private partial void LogRouted(string suggestionId, int fieldCount, string provider, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggestion {SuggestionId} added {TagCount} tags to {Provider} ticket {TicketId}")]
    private partial void LogTagged(string suggestionId, int tagCount, string provider, string ticketId);
}
