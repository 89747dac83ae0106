using HelpdeskSidecar.Suggestions;
using Quartz;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Writes one suggestion's note. A transient failure is retried by the trigger's exponential policy; a
/// <c>Retry-After</c> from the helpdesk reschedules the job for that moment instead of holding a thread.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class WriteBackJob(SuggestionWriteBack writeBack, TicketScheduler scheduler, SuggestionStore store, ILogger<WriteBackJob> logger) : IJob
{
    public const string SuggestionKey = "suggestion";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var suggestionId = context.MergedJobDataMap.GetString(SuggestionKey)!;
        WriteBackResult result;
        try
        {
            result = await writeBack.WriteAsync(suggestionId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCrashed(suggestionId, ex); // Quartz's own log of a job's exception is silenced (AddScheduling)
            throw;
        }
        switch (result.Outcome)
        {
            case WriteBackOutcome.RetryLater when result.DelayUntil is { } until:
                LogRescheduled(suggestionId, until, result.Reason);
                await scheduler.ScheduleWriteBackAsync(suggestionId, until, cancellationToken);
                break;
            case WriteBackOutcome.RetryLater:
                if (context.Trigger.RetryPolicy is { } policy && context.RetryAttempt >= policy.MaxAttempts)
                {
                    await store.MarkWriteFailedAsync(suggestionId, $"Gave up after {context.RetryAttempt + 1} attempts: {result.Reason}", cancellationToken);
                    return;
                }
                LogWillRetry(suggestionId, context.RetryAttempt + 1, result.Reason);
                throw new JobExecutionException(result.Reason ?? "The write-back failed.");
            case WriteBackOutcome.Failed:
                LogFailed(suggestionId, result.Reason);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Write-back of {SuggestionId} rescheduled for {Until}: {Reason}")]
    private partial void LogRescheduled(string suggestionId, DateTimeOffset until, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-back {Attempt} of {SuggestionId} failed, retrying later: {Reason}")]
    private partial void LogWillRetry(string suggestionId, int attempt, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-back of {SuggestionId} failed unexpectedly")]
    private partial void LogCrashed(string suggestionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-back of {SuggestionId} failed for good: {Reason}")]
    private partial void LogFailed(string suggestionId, string? reason);
}
