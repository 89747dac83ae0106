using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;
using Quartz;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Turns "something happened on ticket X" into Quartz triggers. One durable job per ticket
/// (<c>ticket-pipeline/{provider}:{id}</c>, never run concurrently with itself); a trigger that is still
/// waiting out its debounce absorbs later events, so a burst makes one run.
/// </summary>
internal sealed class TicketScheduler(ISchedulerFactory schedulerFactory, IOptions<SidecarOptions> options, TimeProvider time)
{
    public const string PipelineGroup = "ticket-pipeline";
    public const string WriteBackGroup = "write-back";

    public static JobKey PipelineJobKey(string provider, string ticketId) => new($"{provider}:{ticketId}", PipelineGroup);

    /// <returns>False when a waiting trigger already covers this ticket.</returns>
    public async Task<bool> SchedulePipelineAsync(string provider, string ticketId, string eventIds, CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var jobKey = PipelineJobKey(provider, ticketId);
        var triggerKey = new TriggerKey(jobKey.Name, PipelineGroup);
        var state = await scheduler.GetTriggerState(triggerKey, ct);
        if (state == TriggerState.Normal)
            return false;

        var scheduling = options.Value.Scheduling;
        var job = JobBuilder.Create<TicketPipelineJob>()
            .WithIdentity(jobKey)
            .UsingJobData(TicketPipelineJob.ProviderKey, provider)
            .UsingJobData(TicketPipelineJob.TicketKey, ticketId)
            .StoreDurably(false)
            .Build();
        // A trigger that exists but is not waiting is firing right now: add a second one, which waits its turn.
        var key = state == TriggerState.None ? triggerKey : new TriggerKey($"{jobKey.Name}:{Guid.CreateVersion7(time.GetUtcNow()):N}", PipelineGroup);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(jobKey)
            .UsingJobData(TicketPipelineJob.EventsKey, eventIds)
            .StartAt(time.GetUtcNow() + scheduling.Debounce)
            .WithRetryPolicy(RetryPolicy.Exponential(scheduling.MaxRetries, scheduling.RetryInitialDelay, 2.0, scheduling.RetryMaxDelay, 0.2))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            return false; // another dispatcher pass got there first
        }
        return true;
    }

    public async Task ScheduleWriteBackAsync(string suggestionId, DateTimeOffset at, CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var jobKey = new JobKey(suggestionId, WriteBackGroup);
        var scheduling = options.Value.Scheduling;
        var job = JobBuilder.Create<WriteBackJob>()
            .WithIdentity(jobKey)
            .UsingJobData(WriteBackJob.SuggestionKey, suggestionId)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(new TriggerKey($"{suggestionId}:{at.ToUnixTimeMilliseconds()}", WriteBackGroup))
            .ForJob(jobKey)
            .StartAt(at)
            .WithRetryPolicy(RetryPolicy.Exponential(scheduling.MaxRetries, scheduling.RetryInitialDelay, 2.0, scheduling.RetryMaxDelay, 0.2))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
    }
}
