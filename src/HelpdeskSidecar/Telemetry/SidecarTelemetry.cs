using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HelpdeskSidecar.Telemetry;

/// <summary>
/// The sidecar's own spans (ActivitySource <c>HelpdeskSidecar</c>) and metrics (Meter <c>HelpdeskSidecar</c>). With no
/// OpenTelemetry provider listening (telemetry off), starting a span returns null and recording a measurement does nothing.
/// The model calls' <c>gen_ai.*</c> spans and metrics come from Microsoft.Extensions.AI under <see cref="Ai.OpenAiModels.TelemetrySource"/>;
/// the helpdesk, model and Qdrant HTTP calls from the HttpClient instrumentation; the webhooks from ASP.NET Core's.
/// </summary>
internal static class SidecarTelemetry
{
    public const string Name = "HelpdeskSidecar";

    /// <summary>The Hangfire job parameter that carries the W3C <c>traceparent</c> of the span that created the job.</summary>
    public const string TraceParentParameter = "traceparent";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Webhook events committed to the inbox (<c>result</c>: stored or duplicate).</summary>
    public static readonly Counter<long> EventsIngested = Meter.CreateCounter<long>("sidecar.events.ingested", "{event}", "Webhook events acknowledged, by helpdesk and result (stored, duplicate).");

    /// <summary>Job runs by job (pipeline, write_back) and outcome (succeeded, retry, deferred, gave_up, failed).</summary>
    public static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("sidecar.job.runs", "{run}", "Job runs, by job and outcome.");

    /// <summary>Ticket load to stored suggestion, as in each suggestion's trace (<c>timings_ms.total</c>).</summary>
    public static readonly Histogram<double> PipelineDuration = Meter.CreateHistogram<double>("sidecar.pipeline.duration", "s", "Pipeline latency from ticket load to stored suggestion, by helpdesk and suggestion kind.");

    public static readonly Counter<long> ModelTokens = Meter.CreateCounter<long>("sidecar.model.tokens", "{token}", "Model tokens per suggestion, by model and gen_ai.token.type (input, output).");

    public static readonly Counter<double> ModelCost = Meter.CreateCounter<double>("sidecar.model.cost", "USD", "Model cost from Sidecar:Llm's prices, by model.");

    public static readonly Counter<long> WriteBackFailures = Meter.CreateCounter<long>("sidecar.writeback.failures", "{failure}", "Failed note write-backs, by outcome (retry, gave_up, failed).");

    public static readonly Counter<long> RateLimitWaits = Meter.CreateCounter<long>("sidecar.ratelimit.waits", "{wait}", "Waits for a helpdesk's rate limit, by source (client: our limiter held a request back; deferred: a job was rescheduled for Retry-After).");

    public static readonly Counter<long> Suggestions = Meter.CreateCounter<long>("sidecar.suggestions", "{suggestion}", "Suggestions created, by kind and mode.");

    public static readonly Counter<long> Verdicts = Meter.CreateCounter<long>("sidecar.suggestion.verdicts", "{verdict}", "Verdicts recorded on suggestions, by verdict and source.");

    /// <summary>
    /// A job's span: a consumer span whose parent is the span that created the job (the webhook's, through the inbox row
    /// and the dispatcher), so one ticket's webhook, pipeline and write-back share one trace id.
    /// </summary>
    public static Activity? StartJob(string name, string? traceParent, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parent = ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
        var activity = Source.StartActivity(name, ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            foreach (var (key, value) in tags)
                activity.SetTag(key, value);
        }
        return activity;
    }

    /// <summary>The span that hands a ticket's inbox events to the job store; its parent is the first event's webhook span, the others are links.</summary>
    public static Activity? StartDispatch(string provider, string ticketId, IReadOnlyList<string> traceParents)
    {
        var contexts = traceParents
            .Select(t => ActivityContext.TryParse(t, null, isRemote: true, out var c) ? c : default)
            .Where(c => c != default)
            .Distinct()
            .ToList();
        var activity = Source.StartActivity(
            "ticket.dispatch", ActivityKind.Producer, contexts.Count > 0 ? contexts[0] : default,
            links: contexts.Skip(1).Select(c => new ActivityLink(c)));
        activity?.SetTag("helpdesk", provider);
        activity?.SetTag("ticket.id", ticketId);
        return activity;
    }

    /// <summary>Marks a span failed with the exception's type (never its message: it may quote ticket text).</summary>
    public static void Failed(this Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
