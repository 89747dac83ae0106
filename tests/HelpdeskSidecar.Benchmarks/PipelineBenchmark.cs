using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// Tickets pushed through the whole path in Live mode: signed webhook → inbox → Quartz (SQLite job store)
/// → load ticket and comments from a loopback Zendesk → BM25 retrieval → offline draft → write-back job →
/// PUT of the internal note. Latency is from sending the webhook to the fake receiving the PUT.
/// </summary>
internal static class PipelineBenchmark
{
    private const int Tickets = 2_000;
    private const int Senders = 16;

    public static async Task<string> RunAsync()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.PageSize = 100;
        await using var host = await BenchHost.StartAsync(
            "Sidecar:Mode=Live",
            $"Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}",
            "Sidecar:Zendesk:OAuthToken=bench",
            "Sidecar:Scheduling:Debounce=00:00:00",
            "Sidecar:Scheduling:MaxConcurrency=8",
            "Sidecar:Zendesk:RateLimit:Requests=0", // the fake has no plan limits: measure the pipeline, not the limiter
            "Sidecar:Zendesk:RateLimit:TicketUpdates=0");
        var samples = FindSamples();
        await host.App.Services.GetRequiredService<KnowledgeImporter>().ImportFolderAsync(Path.Combine(samples, "knowledge"), null, CancellationToken.None);

        string[] questions =
        [
            "How long does a refund take to reach my card after you receive the return?",
            "My parcel says delivered but I never received it, the neighbours have not seen it",
            "I forgot my password and the reset link expired",
            "Can I pause my subscription while I am travelling for two months?",
            "The promo code says it is not valid for my order",
            "My parcel arrived damaged, the box was crushed",
        ];
        const long firstId = 100_000;
        for (var i = 0; i < Tickets; i++)
            zendesk.AddTicket(firstId + i, $"Question {i}", questions[i % questions.Length]);

        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var signed = Enumerable.Range(0, Tickets).Select(i => BenchHost.SignedEvent($"p-{i}", firstId + i)).ToArray();
        var sentAt = new long[Tickets];
        var started = TimeProvider.System.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Tickets)
            {
                sentAt[i] = TimeProvider.System.GetTimestamp();
                using var response = await client.SendAsync(BenchHost.Request(signed[i]));
                response.EnsureSuccessStatusCode();
            }
        }));

        // Wait (bounded) until every ticket has its note.
        var deadline = TimeSpan.FromSeconds(110);
        Dictionary<long, long> putAt;
        while ((putAt = Puts(zendesk)).Count < Tickets && TimeProvider.System.GetElapsedTime(started) < deadline)
            await Task.Delay(50);
        var last = putAt.Count == 0 ? started : putAt.Values.Max();
        var elapsed = TimeProvider.System.GetElapsedTime(started, last);
        var latencies = putAt.Select(p => TimeProvider.System.GetElapsedTime(sentAt[p.Key - firstId], p.Value).TotalMilliseconds).Order().ToList();
        var duplicates = zendesk.Requests.Count(r => r.Method == "PUT") - putAt.Count;

        return new JsonObject
        {
            ["bench"] = "pipeline",
            ["tickets"] = Tickets,
            ["notes_written"] = putAt.Count,
            ["duplicate_notes"] = duplicates,
            ["tickets_per_s"] = Math.Round(putAt.Count / elapsed.TotalSeconds, 1),
            ["p50_ms"] = Math.Round(Percentiles.Of(latencies, 50), 1),
            ["p99_ms"] = Math.Round(Percentiles.Of(latencies, 99), 1),
            ["debounce_ms"] = 0,
            ["quartz_threads"] = 8, // Sidecar:Scheduling:MaxConcurrency above
            ["cores"] = Environment.ProcessorCount,
        }.ToJsonString();
    }

    private static Dictionary<long, long> Puts(FakeZendesk zendesk)
    {
        var puts = new Dictionary<long, long>();
        foreach (var r in zendesk.Requests.Where(r => r.Method == "PUT"))
        {
            var id = long.Parse(r.PathAndQuery.Split('/')[4], System.Globalization.CultureInfo.InvariantCulture);
            puts.TryAdd(id, r.ReceivedAt);
        }
        return puts;
    }

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "samples", "knowledge")))
                return Path.Combine(dir.FullName, "samples");
        }
        throw new DirectoryNotFoundException("samples/knowledge not found above the benchmark binaries.");
    }
}
