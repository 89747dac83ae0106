using System.Diagnostics.Metrics;
using Hangfire;

namespace HelpdeskSidecar.Telemetry;

/// <summary>
/// <c>sidecar.jobs</c>: jobs in the store by state, read from Hangfire's statistics when a reader collects (once per
/// export interval, not per job). Its meter comes from the host's <see cref="IMeterFactory"/>, so it ends with the host.
/// </summary>
internal sealed class JobStateGauge(IMeterFactory meters, JobStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(SidecarTelemetry.Name);
        meter.CreateObservableGauge("sidecar.jobs", Observe, "{job}", "Jobs in the job store, by state (enqueued, scheduled, processing, succeeded, failed, deleted).");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Observe()
    {
        var s = storage.GetMonitoringApi().GetStatistics();
        return
        [
            new(s.Enqueued, new KeyValuePair<string, object?>("state", "enqueued")),
            new(s.Scheduled, new KeyValuePair<string, object?>("state", "scheduled")),
            new(s.Processing, new KeyValuePair<string, object?>("state", "processing")),
            new(s.Succeeded, new KeyValuePair<string, object?>("state", "succeeded")),
            new(s.Failed, new KeyValuePair<string, object?>("state", "failed")),
            new(s.Deleted, new KeyValuePair<string, object?>("state", "deleted")),
        ];
    }
}
