using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HelpdeskSidecar.Tests.Telemetry;

/// <summary>
/// Issue 15's telemetry "done when": one ticket driven through the real host (signed webhook → inbox → Hangfire pipeline
/// job → loopback Zendesk and model → write-back job → note) is read back from OpenTelemetry's in-memory exporter as one
/// trace, and the sidecar's metrics were recorded on the way. On both providers: the webhook span's traceparent goes
/// through the inbox row, which each provider's inbox writer stores.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class TicketTraceTests(string provider)
{
    private const long TicketId = 7101;

    [Test]
    public async Task OneTicket_WebhookJobHelpdeskModelAndWriteBack_AreOneTrace_AndMetricsRecorded()
    {
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<MetricSnapshot>();
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .WithOpenAi(openAi =>
            {
                openAi.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = (string?)null, tags = Array.Empty<string>(), sentiment = "neutral", urgency = "low", confidence = 0.8 }));
                openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Your refund reaches your card within 5 to 10 business days. [1]", [1]));
            })
            .InLiveMode()
            .With(await StorageProviders.SettingsAsync(provider))
            .With("Sidecar:Telemetry:Enabled=true", "OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none",
                "Sidecar:Llm:InputCostPerMillionTokens=0.15", "Sidecar:Llm:OutputCostPerMillionTokens=0.60")
            .ConfigureServices(builder =>
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
            })
            .StartAsync();
        var (host, zendesk) = (scenario.Host, scenario.Zendesk);
        await host.Service<KnowledgeIndex>().UpsertAsync(new KnowledgeArticle("test", "en-refunds", "How refunds work", "https://help.example.com/en/refunds",
            [new ArticleSection("How refunds work", "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")]), CancellationToken.None);
        zendesk.AddTicket(TicketId, "Refund for my returned jacket", "I sent the jacket back. When will the refund reach my card?");

        // The delivery goes out inside a trace of the test's own (its traceparent header), so this ticket's spans can be
        // told from those of tests running beside it: every one must continue that trace.
        var traceId = ActivityTraceId.CreateRandom();
        using (var delivery = new Activity("helpdesk-delivers-webhook").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        using (var webhook = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-otel-1", TicketId)))
        using (var response = await host.AnonymousClient.SendAsync(webhook))
            Assert.That((int)response.StatusCode, Is.EqualTo(202));
        await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(TicketId)), p => p.Count >= 1, because: "the note");
        var trace = await Eventually.GetAsync(
            () => Task.FromResult(spans.Snapshot().Where(s => s.TraceId == traceId).ToList()),
            t => t.Any(s => s.OperationName == "suggestion.write_back"), because: "the write-back span to end");

        var server = trace.Single(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("http.route") == "/webhooks/zendesk");
        var dispatch = trace.Single(s => s.OperationName == "ticket.dispatch");
        var pipeline = trace.Single(s => s.OperationName == "ticket.pipeline");
        var writeBack = trace.Single(s => s.OperationName == "suggestion.write_back");
        Assert.Multiple(() =>
        {
            Assert.That(dispatch.ParentSpanId, Is.EqualTo(server.SpanId), "the dispatcher continues the webhook's span, read back from the inbox row");
            Assert.That(dispatch.Kind, Is.EqualTo(ActivityKind.Producer));
            Assert.That(pipeline.ParentSpanId, Is.EqualTo(dispatch.SpanId), "the Hangfire job continues the dispatcher's span (job parameter)");
            Assert.That(pipeline.Kind, Is.EqualTo(ActivityKind.Consumer));
            Assert.That(pipeline.GetTagItem("ticket.id"), Is.EqualTo(TicketId.ToString()));
            Assert.That(pipeline.GetTagItem("job.outcome"), Is.EqualTo("succeeded"));
            Assert.That(writeBack.ParentSpanId, Is.EqualTo(pipeline.SpanId), "the write-back job was created inside the pipeline job's span");
            Assert.That(writeBack.GetTagItem("write_back.outcome"), Is.EqualTo("Written"));
        });

        var helpdeskCalls = trace.Where(s => s.Kind == ActivityKind.Client && Url(s).StartsWith(zendesk.BaseUrl, StringComparison.Ordinal)).ToList();
        Assert.That(helpdeskCalls.Where(s => IsUnder(s, pipeline, trace)).Select(s => (string?)s.GetTagItem("http.request.method")),
            Has.Some.EqualTo("GET"), "the pipeline loads the ticket: an HTTP span under the job");
        Assert.That(helpdeskCalls.Where(s => IsUnder(s, writeBack, trace) && Url(s).EndsWith($"/api/v2/tickets/{TicketId}", StringComparison.Ordinal))
            .Select(s => (string?)s.GetTagItem("http.request.method")), Has.Some.EqualTo("PUT"), "the note: an HTTP span under the write-back");

        var chats = trace.Where(s => s.Source.Name == "HelpdeskSidecar.Ai").ToList();
        Assert.That(chats, Has.Count.EqualTo(2), "classification and draft");
        foreach (var chat in chats)
        {
            Assert.That(IsUnder(chat, pipeline, trace), Is.True, chat.DisplayName);
            Assert.That(chat.GetTagItem("gen_ai.operation.name"), Is.EqualTo("chat"));
            Assert.That(chat.GetTagItem("gen_ai.request.model"), Is.EqualTo("gpt-test-mini"));
            Assert.That(Convert.ToInt64(chat.GetTagItem("gen_ai.usage.input_tokens")), Is.GreaterThan(0));
            Assert.That(Convert.ToInt64(chat.GetTagItem("gen_ai.usage.output_tokens")), Is.GreaterThan(0));
            Assert.That(chat.Tags.Select(t => t.Key), Has.None.Contains("gen_ai.input.messages").And.None.Contains("gen_ai.output.messages"), "no ticket text in spans");
        }

        // A verdict given through the API is counted too.
        var list = await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={TicketId}");
        var id = list!["items"]![0]!["id"]!.GetValue<string>();
        using (var feedback = await host.Client.PostAsJsonAsync($"/api/suggestions/{id}/feedback", new { verdict = "edited" }))
            Assert.That((int)feedback.StatusCode, Is.LessThan(300));

        host.App.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var measured = metrics.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(Sum(measured, "sidecar.events.ingested", ("helpdesk", "zendesk"), ("result", "stored")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(measured, "sidecar.suggestions", ("kind", "Draft"), ("mode", "Live")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(measured, "sidecar.job.runs", ("job", "pipeline"), ("outcome", "succeeded")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(measured, "sidecar.job.runs", ("job", "write_back"), ("outcome", "succeeded")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(measured, "sidecar.model.tokens", ("gen_ai.request.model", "gpt-test-mini"), ("gen_ai.token.type", "input")), Is.GreaterThan(0));
            Assert.That(Sum(measured, "sidecar.model.tokens", ("gen_ai.request.model", "gpt-test-mini"), ("gen_ai.token.type", "output")), Is.GreaterThan(0));
            Assert.That(Sum(measured, "sidecar.model.cost", ("gen_ai.request.model", "gpt-test-mini")), Is.GreaterThan(0));
            Assert.That(Sum(measured, "sidecar.suggestion.verdicts", ("verdict", "edited"), ("source", "feedback")), Is.GreaterThanOrEqualTo(1));
            Assert.That(HistogramCount(measured, "sidecar.pipeline.duration", ("helpdesk", "zendesk"), ("kind", "Draft")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(measured, "sidecar.jobs", ("state", "succeeded")), Is.GreaterThanOrEqualTo(2), "the pipeline and write-back jobs, from the job store");
            Assert.That(measured.Select(m => m.Name), Does.Contain("gen_ai.client.token.usage"), "Microsoft.Extensions.AI's own gen_ai metrics");
        });
    }

    [Test]
    public async Task WriteBackDeferredThenRefused_RateLimitWaitAndWriteBackFailureCounted()
    {
        var metrics = new LockedCollection<MetricSnapshot>();
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .With(await StorageProviders.SettingsAsync(provider))
            .With("Sidecar:Telemetry:Enabled=true", "OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none")
            .ConfigureServices(builder => builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)))
            .StartAsync();
        var (host, zendesk) = (scenario.Host, scenario.Zendesk);
        var meterProvider = host.App.Services.GetRequiredService<MeterProvider>();
        IReadOnlyList<MetricSnapshot> Flushed()
        {
            meterProvider.ForceFlush();
            return metrics.Snapshot();
        }

        zendesk.FailNextUpdates(429, "120"); // too long to wait out in the request: the job is rescheduled
        zendesk.AddTicket(7102, "Refund", "When will the refund reach my card?");
        using (var response = await host.AnonymousClient.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-otel-429", 7102)))) { }
        await Eventually.GetAsync(() => Task.FromResult(Flushed()), m => Sum(m, "sidecar.job.runs", ("job", "write_back"), ("outcome", "deferred")) >= 1,
            because: "the deferred write-back");
        Assert.That(Sum(Flushed(), "sidecar.ratelimit.waits", ("source", "deferred")), Is.GreaterThanOrEqualTo(1));

        zendesk.FailNextUpdates(403, null); // refused for good
        zendesk.AddTicket(7103, "Refund", "Where is my refund?");
        using (var response = await host.AnonymousClient.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-otel-403", 7103)))) { }
        await Eventually.GetAsync(() => Task.FromResult(Flushed()), m => Sum(m, "sidecar.writeback.failures", ("outcome", "failed")) >= 1,
            because: "the refused write-back");
    }

    [Test]
    public async Task DefaultSettings_NoTelemetryProviders()
    {
        await using var host = await SidecarTestHost.StartAsync();

        Assert.That(host.App.Services.GetService<TracerProvider>(), Is.Null);
        Assert.That(host.App.Services.GetService<MeterProvider>(), Is.Null);
    }

    private static string Url(Activity span) => span.GetTagItem("url.full") as string ?? "";

    private static bool IsUnder(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next.SpanId == ancestor.SpanId)
                return true;
        }
        return false;
    }

    private static IEnumerable<MetricPoint> Points(IEnumerable<MetricSnapshot> metrics, string name, (string Key, string Value)[] tags) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).Where(p =>
        {
            var pointTags = new Dictionary<string, object?>();
            foreach (var tag in p.Tags)
                pointTags[tag.Key] = tag.Value;
            return tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v?.ToString(), t.Value));
        });

    /// <summary>The latest value of the matching points (cumulative sums, or gauges), added up.</summary>
    private static double Sum(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags)
    {
        var latest = metrics.Where(m => m.Name == name).LastOrDefault();
        if (latest is null)
            return 0;
        return Points([latest], name, tags).Sum(p => latest.MetricType switch
        {
            MetricType.LongSum or MetricType.LongSumNonMonotonic => p.GetSumLong(),
            MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => p.GetSumDouble(),
            MetricType.LongGauge => p.GetGaugeLastValueLong(),
            MetricType.DoubleGauge => p.GetGaugeLastValueDouble(),
            _ => throw new InvalidOperationException($"{name} is a {latest.MetricType}"),
        });
    }

    private static long HistogramCount(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags)
    {
        var latest = metrics.Where(m => m.Name == name).LastOrDefault();
        return latest is null ? 0 : Points([latest], name, tags).Sum(p => p.GetHistogramCount());
    }
}
