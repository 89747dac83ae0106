using Hangfire;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>What a host's Hangfire job store holds, for tests that wait until nothing is left to run.</summary>
internal static class HangfireJobs
{
    /// <summary>
    /// Jobs waiting (Scheduled: a debounce or a retry), queued, fetched by a worker or running. A job leaves the queue
    /// only after its final state is stored, and a run creates its follow-up (the write-back) before it ends, so 0
    /// means no run and no note can still be on its way.
    /// </summary>
    public static long Pending(SidecarTestHost host)
    {
        var monitoring = host.Service<JobStorage>().GetMonitoringApi();
        return monitoring.ScheduledCount() + monitoring.ProcessingCount()
            + monitoring.EnqueuedCount("default") + monitoring.FetchedCount("default");
    }

    /// <summary>Waits until <see cref="Pending"/> is 0.</summary>
    public static Task QuietAsync(SidecarTestHost host, string because = "every job to finish") =>
        Eventually.GetAsync(() => Task.FromResult(Pending(host)), n => n == 0, because: because);
}
