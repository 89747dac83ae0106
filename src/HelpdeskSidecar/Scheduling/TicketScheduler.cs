using System.Collections.Concurrent;
using Hangfire;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>Work for one ticket: the events that asked for it.</summary>
internal sealed record TicketWork(string Provider, string TicketId, string EventIds)
{
    /// <summary>The traceparents of the webhook requests that delivered the events (telemetry), oldest first.</summary>
    public IReadOnlyList<string> TraceParents { get; init; } = [];
}

/// <summary>
/// Turns "something happened on ticket X" into Hangfire jobs: one pipeline job per ticket, created in the Scheduled
/// state for the end of the debounce. While a job for a ticket is still waiting out its debounce, later events add
/// nothing: the run loads the ticket when it starts, so it sees them all. Which tickets have a waiting job is
/// remembered in memory so that a burst costs no job-store round trip; after a restart the worst case is one extra
/// run, which the pipeline's idempotency absorbs. Runs of one ticket never overlap (<see cref="JobLocks"/>).
/// </summary>
internal sealed class TicketScheduler(IBackgroundJobClient jobs, JobStoreSync sync, IOptions<SidecarOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _waitingUntil = new(StringComparer.Ordinal);

    /// <summary>Schedules a debounced run for each ticket that has none waiting; returns once they are on disk.</summary>
    /// <returns>How many jobs were created.</returns>
    public int SchedulePipelines(IEnumerable<TicketWork> work)
    {
        var now = time.GetUtcNow();
        var fireAt = now + options.Value.Scheduling.Debounce;
        var created = 0;
        foreach (var w in work)
        {
            var key = $"{w.Provider}:{w.TicketId}";
            if (_waitingUntil.TryGetValue(key, out var until) && until > now)
                continue;
            using (Telemetry.SidecarTelemetry.StartDispatch(w.Provider, w.TicketId, w.TraceParents))
                SchedulePipelineAt(w, fireAt);
            _waitingUntil[key] = fireAt;
            created++;
        }
        if (created > 0)
            sync.Flush(); // the caller marks the inbox rows dispatched next
        ForgetFired(now);
        return created;
    }

    /// <summary>Creates a run at a given moment, whatever is waiting.</summary>
    public string SchedulePipelineAt(TicketWork work, DateTimeOffset at) =>
        At(at, () => Enqueue<TicketPipelineJob>(j => j.RunAsync(work.Provider, work.TicketId, work.EventIds, null, CancellationToken.None)),
            () => jobs.Schedule<TicketPipelineJob>(j => j.RunAsync(work.Provider, work.TicketId, work.EventIds, null, CancellationToken.None), new DateTimeOffset(JobRetry.NoSoonerThan(at))));

    public string ScheduleWriteBack(string suggestionId, DateTimeOffset at) =>
        At(at, () => Enqueue<WriteBackJob>(j => j.RunAsync(suggestionId, null, CancellationToken.None)),
            () => jobs.Schedule<WriteBackJob>(j => j.RunAsync(suggestionId, null, CancellationToken.None), new DateTimeOffset(JobRetry.NoSoonerThan(at))));

    private string Enqueue<T>(System.Linq.Expressions.Expression<Func<T, Task>> call) => jobs.Enqueue(call);

    /// <summary>
    /// A moment already reached goes straight to the queue: a Scheduled job would wait for the next poll of the
    /// scheduled set (<c>Sidecar:Scheduling:JobPollInterval</c>) for nothing.
    /// </summary>
    private string At(DateTimeOffset at, Func<string> enqueue, Func<string> schedule) =>
        at <= time.GetUtcNow() ? enqueue() : schedule();

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
