using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Server;

namespace HelpdeskSidecar.Telemetry;

/// <summary>
/// Carries the trace across the job store: a job created inside a span (the dispatcher's, or a pipeline job's for its
/// write-back) gets that span's W3C <c>traceparent</c> as a job parameter, which the job reads to continue the trace.
/// A retry runs with the same parameters, so it continues the same trace too.
/// </summary>
internal sealed class TraceContextJobFilter : IClientFilter
{
    public void OnCreating(CreatingContext context)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
            context.SetJobParameter(SidecarTelemetry.TraceParentParameter, current.Id);
    }

    public void OnCreated(CreatedContext context)
    {
    }

    /// <summary>The traceparent a running job was created with, if any.</summary>
    public static string? TraceParentOf(PerformContext? context) =>
        context?.GetJobParameter<string>(SidecarTelemetry.TraceParentParameter);
}
