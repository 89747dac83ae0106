using System.ComponentModel;
using Hangfire.Server;
using Hangfire.Storage;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Telemetry;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>Runs the copilot pipeline for one ticket and, in Live mode, hands the note to a write-back job.</summary>
internal sealed partial class TicketPipelineJob(
    CopilotPipeline pipeline,
    TicketScheduler scheduler,
    JobLocks locks,
    IOptions<SidecarOptions> options,
    TimeProvider time,
    ILogger<TicketPipelineJob> logger)
{
    /// <param name="eventIds">The events that asked for this run, comma-separated (the run loads the ticket itself).</param>
    /// <param name="context">Given by Hangfire (null when the job is created): the attempt number.</param>
    [DisplayName("Draft for {0} ticket {1}")]
    public async Task RunAsync(string provider, string ticketId, string eventIds, PerformContext? context, CancellationToken cancellationToken)
    {
        var attempt = (context?.GetJobParameter<int>(JobRetry.RetryCountParameter) ?? 0) + 1;
        var maxAttempts = options.Value.Scheduling.MaxRetries;
        using var activity = SidecarTelemetry.StartJob("ticket.pipeline", TraceContextJobFilter.TraceParentOf(context),
            new("helpdesk", provider), new("ticket.id", ticketId), new("job.attempt", attempt), new("job.id", context?.BackgroundJob.Id));
        PipelineOutcome outcome;
        try
        {
            using (await locks.AcquireAsync($"ticket:{provider}:{ticketId}", cancellationToken))
                outcome = await pipeline.RunAsync(provider, ticketId, eventIds.Split(',', StringSplitOptions.RemoveEmptyEntries), cancellationToken);
        }
        catch (HelpdeskException ex) when (!ex.Retryable)
        {
            LogGaveUp(provider, ticketId, ex.Message);
            Ran(activity, "gave_up", ex);
            return;
        }
        catch (HelpdeskException ex) when (ex.DelayUntil is { } until)
        {
            // The helpdesk asked us to wait: the job goes back to Scheduled for then (RetryAfterFilter), no attempt used.
            LogDeferred(provider, ticketId, until, ex.Message);
            SidecarTelemetry.RateLimitWaits.Add(1, new KeyValuePair<string, object?>("source", "deferred"));
            Ran(activity, "deferred", null);
            throw new RetryAfterException(until, ex.Message);
        }
        catch (Exception ex) when (ex is HelpdeskException or DistributedLockTimeoutException)
        {
            // An expected failure (the helpdesk is down or slow, another run of this ticket is still going): one line
            // with its cause, then Hangfire's retry state runs the job again. The exception thrown carries no inner
            // exception, so nothing logs a stack trace for it.
            var reason = ex is HelpdeskException ? ex.Message : "another run of this ticket is still going";
            if (attempt >= maxAttempts)
            {
                LogGaveUp(provider, ticketId, $"{reason} (after {attempt} attempts)");
                Ran(activity, "gave_up", ex);
                return;
            }
            LogWillRetry(provider, ticketId, attempt, reason);
            Ran(activity, "retry", ex);
            throw new JobRetryException(reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(provider, ticketId, ex);
            Ran(activity, "failed", ex);
            throw;
        }
        Ran(activity, "succeeded", null);
        activity?.SetTag("pipeline.outcome", outcome.Kind.ToString());
        if (outcome is { Kind: PipelineOutcomeKind.Created, Suggestion: { } created })
            Measure(provider, created);

        // A run that ends without a new suggestion says why: "nothing was suggested" must never be silent.
        if (outcome.Kind is PipelineOutcomeKind.NothingToAnswer or PipelineOutcomeKind.AlreadySuggested)
            LogNoNewSuggestion(provider, ticketId, outcome.Kind, outcome.Reason);

        // PendingWrite means the ticket ran in Live mode: Sidecar:Mode, or an override or rule for its brand or intent.
        if (outcome.Suggestion is { Status: SuggestionStatus.PendingWrite } suggestion)
            scheduler.ScheduleWriteBack(suggestion.Id, time.GetUtcNow());
    }

    private static void Ran(System.Diagnostics.Activity? activity, string outcome, Exception? failure)
    {
        SidecarTelemetry.JobRuns.Add(1, new("job", "pipeline"), new("outcome", outcome));
        activity?.SetTag("job.outcome", outcome);
        if (failure is not null && outcome is "gave_up" or "failed")
            activity.Failed(failure);
    }

    /// <summary>What a new suggestion adds to the metrics: its kind, the pipeline's latency, the model's tokens and cost.</summary>
    private static void Measure(string provider, Suggestion suggestion)
    {
        var kind = suggestion.Kind.ToString();
        SidecarTelemetry.Suggestions.Add(1, new("kind", kind), new("mode", suggestion.Mode));
        if (suggestion.Trace.TimingsMs is { } timings)
            SidecarTelemetry.PipelineDuration.Record(timings.Total / 1000.0, new("helpdesk", provider), new("kind", kind));
        if (suggestion.Trace.Model is { } model)
        {
            SidecarTelemetry.ModelTokens.Add(model.InputTokens, new("gen_ai.request.model", model.Model), new("gen_ai.token.type", "input"));
            SidecarTelemetry.ModelTokens.Add(model.OutputTokens, new("gen_ai.request.model", model.Model), new("gen_ai.token.type", "output"));
            SidecarTelemetry.ModelCost.Add((double)model.CostUsd, new KeyValuePair<string, object?>("gen_ai.request.model", model.Model));
        }
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
