using System.Collections.Concurrent;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;
using Quartz;

namespace HelpdeskSidecar.Scheduling;

/// <summary>Work for one ticket: the events that asked for it.</summary>
internal sealed record TicketWork(string Provider, string TicketId, string EventIds);

/// <summary>
/// Turns "something happened on ticket X" into Quartz triggers. One durable job per ticket
/// (<c>ticket-pipeline/{provider}:{id}</c>, never run concurrently with itself). While a trigger for a ticket is
/// still waiting out its debounce, later events add nothing: the run loads the ticket when it fires, so it sees
/// them all. Which tickets have a waiting trigger is remembered in memory so that a burst costs no job-store
/// round trip; after a restart the worst case is one extra run, which the pipeline's idempotency absorbs.
/// </summary>
internal sealed class TicketScheduler(ISchedulerFactory schedulerFactory, IOptions<SidecarOptions> options, TimeProvider time)
{
    public const string PipelineGroup = "ticket-pipeline";
    public const string WriteBackGroup = "write-back";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _waitingUntil = new(StringComparer.Ordinal);

    public static JobKey PipelineJobKey(string provider, string ticketId) => new($"{provider}:{ticketId}", PipelineGroup);

    /// <summary>Schedules a debounced run for each ticket that has none waiting, all in one job-store transaction.</summary>
    /// <returns>How many triggers were added.</returns>
    public async Task<int> SchedulePipelinesAsync(IEnumerable<TicketWork> work, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var fireAt = now + options.Value.Scheduling.Debounce;
        var batch = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var w in work)
        {
            var jobKey = PipelineJobKey(w.Provider, w.TicketId);
            if (_waitingUntil.TryGetValue(jobKey.Name, out var until) && until > now)
                continue;
            var (job, trigger) = PipelineJob(w, fireAt);
            batch[job] = [trigger];
        }
        if (batch.Count == 0)
            return 0;
        var scheduler = await schedulerFactory.GetScheduler(ct);
        await scheduler.ScheduleJobs(batch, ScheduleJobOptions.Replacing, ct);
        foreach (var job in batch.Keys)
            _waitingUntil[job.Key.Name] = fireAt;
        ForgetFired(now);
        return batch.Count;
    }

    /// <summary>Schedules a run at a given moment (a helpdesk's <c>Retry-After</c>), whatever is waiting.</summary>
    public async Task SchedulePipelineAtAsync(TicketWork work, DateTimeOffset at, CancellationToken ct)
    {
        var (job, trigger) = PipelineJob(work, at);
        var scheduler = await schedulerFactory.GetScheduler(ct);
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
    }

    public async Task ScheduleWriteBackAsync(string suggestionId, DateTimeOffset at, CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var jobKey = new JobKey(suggestionId, WriteBackGroup);
        var job = JobBuilder.Create<WriteBackJob>()
            .WithIdentity(jobKey)
            .UsingJobData(WriteBackJob.SuggestionKey, suggestionId)
            .RequestRecovery() // a write-back cut short by a crash runs again on restart (it checks its marker first)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(new TriggerKey($"{suggestionId}:{at.ToUnixTimeMilliseconds()}", WriteBackGroup))
            .ForJob(jobKey)
            .StartAt(at)
            .WithRetryPolicy(Retry())
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
    }

    private (IJobDetail Job, ITrigger Trigger) PipelineJob(TicketWork work, DateTimeOffset at)
    {
        var jobKey = PipelineJobKey(work.Provider, work.TicketId);
        var job = JobBuilder.Create<TicketPipelineJob>()
            .WithIdentity(jobKey)
            .UsingJobData(TicketPipelineJob.ProviderKey, work.Provider)
            .UsingJobData(TicketPipelineJob.TicketKey, work.TicketId)
            .RequestRecovery() // a run cut short by a crash runs again on restart: its events are already dispatched
            .Build();
        // Each trigger has a key of its own: replacing a trigger that is firing right now could delete the new one
        // when the old firing completes. Runs of one ticket never overlap ([DisallowConcurrentExecution]).
        var trigger = TriggerBuilder.Create()
            .WithIdentity(new TriggerKey($"{jobKey.Name}:{Guid.CreateVersion7(time.GetUtcNow()):N}", PipelineGroup))
            .ForJob(jobKey)
            .UsingJobData(TicketPipelineJob.EventsKey, work.EventIds)
            .StartAt(at)
            .WithRetryPolicy(Retry())
            .Build();
        return (job, trigger);
    }

    private RetryPolicy Retry()
    {
        var s = options.Value.Scheduling;
        return RetryPolicy.Exponential(s.MaxRetries, s.RetryInitialDelay, 2.0, s.RetryMaxDelay, 0.2);
    }

    private void ForgetFired(DateTimeOffset now)
    {
        if (_waitingUntil.Count < 10_000)
            return;
        foreach (var (key, until) in _waitingUntil)
        {
            if (until <= now)
                _waitingUntil.TryRemove(key, out _);
        }
    }
}
