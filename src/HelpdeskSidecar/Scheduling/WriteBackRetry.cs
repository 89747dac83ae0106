using Dapper;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Scheduling;

internal enum WriteBackRetryOutcome
{
    /// <summary>The write-back had been given up; it is waiting for its note again and a job is queued.</summary>
    Queued,

    /// <summary>Nothing to do: the suggestion is not given up (already queued again by an earlier click, or written).</summary>
    NotGivenUp,

    NotFound,
}

/// <summary>
/// An ops lead's "Retry" on a write-back that was given up. The suggestion moves from <c>WriteFailed</c> back to
/// <c>PendingWrite</c> in one conditional update, and only the request that made that change queues a job: a second
/// click, a double submit or another replica finds the suggestion no longer given up and queues nothing. Should two
/// jobs still meet (a job lost between the update and the queueing, or after it, is queued again by
/// <see cref="WriteBackRecovery"/> at the next start, which reads the same status), the write-back's own idempotency holds: runs never overlap (<see cref="JobLocks"/>) and a run after
/// the first attempt looks for the suggestion's marker on the ticket before posting.
/// </summary>
internal sealed partial class WriteBackRetry(Database database, TicketScheduler scheduler, TimeProvider time, ILogger<WriteBackRetry> logger)
{
    public async Task<WriteBackRetryOutcome> RetryAsync(string suggestionId, string actor, CancellationToken ct)
    {
        int changed;
        string? status;
        await using (var connection = await database.OpenAsync(ct))
        {
            changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE suggestions SET status = @pending, status_reason = @reason WHERE id = @id AND status = @failed",
                new
                {
                    id = suggestionId,
                    pending = nameof(SuggestionStatus.PendingWrite),
                    failed = nameof(SuggestionStatus.WriteFailed),
                    reason = $"Retry requested by {actor} at {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC",
                }, cancellationToken: ct));
            status = changed == 1 ? null : await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM suggestions WHERE id = @id", new { id = suggestionId }, cancellationToken: ct));
        }
        if (changed == 0)
            return status is null ? WriteBackRetryOutcome.NotFound : WriteBackRetryOutcome.NotGivenUp;
        scheduler.ScheduleWriteBack(suggestionId, time.GetUtcNow());
        LogQueued(suggestionId, actor);
        return WriteBackRetryOutcome.Queued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Write-back of {SuggestionId} queued again by {Actor}")]
    private partial void LogQueued(string suggestionId, string actor);
}
