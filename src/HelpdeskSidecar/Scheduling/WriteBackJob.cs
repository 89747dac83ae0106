using System.ComponentModel;
using System.Diagnostics;
using Hangfire.Server;
using Hangfire.Storage;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Writes one suggestion's note. A transient failure goes through Hangfire's retry states with our backoff; a
/// <c>Retry-After</c> from the helpdesk schedules the job for that moment without using up an attempt. The
/// suggestion's status is the source of truth: a run that finds the note written does nothing.
/// </summary>
internal sealed partial class WriteBackJob(
    SuggestionWriteBack writeBack,
    SuggestionStore store,
    JobLocks locks,
    IOptions<SidecarOptions> options,
    ILogger<WriteBackJob> logger)
{
    /// <param name="context">Given by Hangfire (null when the job is created): the attempt number.</param>
    [DisplayName("Note for suggestion {0}")]
    public async Task RunAsync(string suggestionId, PerformContext? context, CancellationToken cancellationToken)
    {
        var attempt = (context?.GetJobParameter<int>(JobRetry.RetryCountParameter) ?? 0) + 1;
        using var activity = SidecarTelemetry.StartJob("suggestion.write_back", TraceContextJobFilter.TraceParentOf(context),
            new("suggestion.id", suggestionId), new("job.attempt", attempt), new("job.id", context?.BackgroundJob.Id));
        WriteBackResult result;
        try
        {
            using (await locks.AcquireAsync($"write-back:{suggestionId}", cancellationToken))
                result = await writeBack.WriteAsync(suggestionId, cancellationToken);
        }
        catch (DistributedLockTimeoutException)
        {
            result = new WriteBackResult(WriteBackOutcome.RetryLater, "another write-back of this suggestion is still going");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCrashed(suggestionId, ex);
            Ran(activity, "failed");
            activity.Failed(ex);
            throw;
        }
        switch (result.Outcome)
        {
            case WriteBackOutcome.RetryLater when result.DelayUntil is { } until:
                LogRescheduled(suggestionId, until, result.Reason);
                SidecarTelemetry.RateLimitWaits.Add(1, new KeyValuePair<string, object?>("source", "deferred"));
                Ran(activity, "deferred");
                throw new RetryAfterException(until, result.Reason ?? "The helpdesk asked to wait.");
            case WriteBackOutcome.RetryLater:
                if (attempt >= options.Value.Scheduling.MaxRetries)
                {
                    await store.MarkWriteFailedAsync(suggestionId, $"Gave up after {attempt} attempts: {result.Reason}", cancellationToken);
                    LogFailed(suggestionId, $"gave up after {attempt} attempts: {result.Reason}");
                    Failure(activity, "gave_up");
                    return;
                }
                LogWillRetry(suggestionId, attempt, result.Reason);
                Failure(activity, "retry");
                throw new JobRetryException(result.Reason ?? "The write-back failed.");
            case WriteBackOutcome.Failed:
                LogFailed(suggestionId, result.Reason);
                Failure(activity, "failed");
                break;
            default:
                Ran(activity, "succeeded");
                activity?.SetTag("write_back.outcome", result.Outcome.ToString());
                break;
        }
    }

    private static void Ran(Activity? activity, string outcome)
    {
        SidecarTelemetry.JobRuns.Add(1, new("job", "write_back"), new("outcome", outcome));
        activity?.SetTag("job.outcome", outcome);
    }

    /// <summary>A write-back that did not write: counted as a failure, and its span marked with the outcome (the reason may quote the helpdesk).</summary>
    private static void Failure(Activity? activity, string outcome)
    {
        Ran(activity, outcome);
        SidecarTelemetry.WriteBackFailures.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetStatus(outcome == "retry" ? ActivityStatusCode.Unset : ActivityStatusCode.Error, outcome);
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
