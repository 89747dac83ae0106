using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions;
using Quartz;

namespace HelpdeskSidecar.Scheduling;

/// <summary>Runs the copilot pipeline for one ticket and, in Live mode, hands the note to the write-back job.</summary>
[DisallowConcurrentExecution]
internal sealed partial class TicketPipelineJob(
    CopilotPipeline pipeline,
    TicketScheduler scheduler,
    TimeProvider time,
    ILogger<TicketPipelineJob> logger) : IJob
{
    public const string ProviderKey = "provider";
    public const string TicketKey = "ticket";
    public const string EventsKey = "events";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var provider = data.GetString(ProviderKey)!;
        var ticketId = data.GetString(TicketKey)!;
        var eventIds = (data.GetString(EventsKey) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        PipelineOutcome outcome;
        try
        {
            outcome = await pipeline.RunAsync(provider, ticketId, eventIds, cancellationToken);
        }
        catch (HelpdeskException ex) when (!ex.Retryable)
        {
            LogGaveUp(provider, ticketId, ex.Message);
            return;
        }
        catch (HelpdeskException ex) when (ex.DelayUntil is { } until)
        {
            // The helpdesk asked us to wait: come back then, without holding a thread.
            LogDeferred(provider, ticketId, until, ex.Message);
            await scheduler.SchedulePipelineAtAsync(new TicketWork(provider, ticketId, string.Join(',', eventIds)), until, cancellationToken);
            return;
        }
        catch (HelpdeskException ex)
        {
            // An expected failure (the helpdesk is down or slow): one line with its cause, then the trigger's retry
            // policy runs the job again. No inner exception, so nothing carries a stack trace (Quartz's own log of
            // the throw is silenced in AddScheduling: every exception leaving this job has been logged here).
            // RetryAttempt counts from 0 (the first run); the policy's MaxAttempts counts every run.
            if (context.Trigger.RetryPolicy is { } policy && context.RetryAttempt + 1 >= policy.MaxAttempts)
            {
                LogGaveUp(provider, ticketId, $"{ex.Message} (after {context.RetryAttempt + 1} attempts)");
                return;
            }
            LogWillRetry(provider, ticketId, context.RetryAttempt + 1, ex.Message);
            throw new JobExecutionException(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(provider, ticketId, ex);
            throw;
        }

        // A run that ends without a new suggestion says why: "nothing was suggested" must never be silent.
        if (outcome.Kind is PipelineOutcomeKind.NothingToAnswer or PipelineOutcomeKind.AlreadySuggested)
            LogNoNewSuggestion(provider, ticketId, outcome.Kind, outcome.Reason);

        // PendingWrite means the ticket ran in Live mode: Sidecar:Mode, or an override or rule for its brand or intent.
        if (outcome.Suggestion is { Status: SuggestionStatus.PendingWrite } suggestion)
            await scheduler.ScheduleWriteBackAsync(suggestion.Id, time.GetUtcNow(), cancellationToken);
    }

    /// <param name="reason">The pipeline's own words (a ticket status, "no customer message is waiting"): never ticket text.</param>
    [LoggerMessage(Level = LogLevel.Information, Message = "No new suggestion for {Provider} ticket {TicketId} ({Outcome}): {Reason}")]
    private partial void LogNoNewSuggestion(string provider, string ticketId, PipelineOutcomeKind outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on {Provider} ticket {TicketId}: {Reason}")]
    private partial void LogGaveUp(string provider, string ticketId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline run {Attempt} for {Provider} ticket {TicketId} failed, retrying later: {Reason}")]
    private partial void LogWillRetry(string provider, string ticketId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline run for {Provider} ticket {TicketId} failed unexpectedly")]
    private partial void LogFailed(string provider, string ticketId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deferred {Provider} ticket {TicketId} until {Until}: {Reason}")]
    private partial void LogDeferred(string provider, string ticketId, DateTimeOffset until, string reason);
}
