using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// Tickets pushed through the whole path in Live mode: signed webhook → inbox → Hangfire (SQLite job store)
/// → load ticket and comments from a loopback Zendesk → BM25 retrieval → offline draft → write-back job →
/// PUT of the internal note. Latency is from sending the webhook to the fake receiving the PUT.
/// Beside it, in the same run, the same tickets on a fresh host and fake go through the same pipeline and
/// write-back called directly (as many loops as Hangfire has workers): <c>ratio</c> is scheduled ÷ direct.
/// </summary>
internal static class PipelineBenchmark
{
    private const int Tickets = 2_000;
    private const int Senders = 16;
    private const int Workers = 8; // Sidecar:Scheduling:MaxConcurrency below, and the direct loops
    private const long FirstId = 100_000;

    private static readonly string[] Questions =
    [
        "How long does a refund take to reach my card after you receive the return?",
        "My parcel says delivered but I never received it, the neighbours have not seen it",
        "I forgot my password and the reset link expired",
        "Can I pause my subscription while I am travelling for two months?",
        "The promo code says it is not valid for my order",
        "My parcel arrived damaged, the box was crushed",
    ];

    public static async Task<string> RunAsync()
    {
        var (directPerS, directNotes) = await DirectAsync();
        var scheduled = await ScheduledAsync();
        var scheduledPerS = scheduled["tickets_per_s"]!.GetValue<double>();
        scheduled["direct_tickets_per_s"] = directPerS;
        scheduled["direct_notes_written"] = directNotes;
        scheduled["ratio"] = Math.Round(scheduledPerS / directPerS, 2);
        return scheduled.ToJsonString();
    }

    /// <summary>
    /// The scheduled path only, on PostgreSQL (jobs on Hangfire.PostgreSql), with <paramref name="replicas"/> hosts on one
    /// database behind one fake Zendesk; the senders spread the webhooks over the hosts.
    /// </summary>
    public static async Task<string> RunOnPostgresAsync(int replicas)
    {
        var storage = await BenchPostgres.SettingsAsync();
        var (zendesk, host) = await StartAsync(storage);
        var hosts = new List<BenchHost> { host };
        await using (zendesk)
        {
            try
            {
                for (var r = 1; r < replicas; r++)
                    hosts.Add(await BenchHost.StartAsync(HostSettings(zendesk, storage)));
                var result = await ScheduledAsync(zendesk, hosts);
                result["bench"] = replicas == 1 ? "pipeline-pg" : $"pipeline-pg-{replicas}";
                result["replicas"] = replicas;
                return result.ToJsonString();
            }
            finally
            {
                foreach (var h in hosts)
                    await h.DisposeAsync();
            }
        }
    }

    private static string[] HostSettings(FakeZendesk zendesk, string[] extra) =>
    [
        "Sidecar:Mode=Live",
        $"Sidecar:Zendesk:BaseUrl={zendesk.BaseUrl}",
        "Sidecar:Zendesk:OAuthToken=bench",
        "Sidecar:Scheduling:Debounce=00:00:00",
        $"Sidecar:Scheduling:MaxConcurrency={Workers}",
        "Sidecar:Zendesk:RateLimit:Requests=0",
        "Sidecar:Zendesk:RateLimit:TicketUpdates=0",
        .. extra,
    ];

    private static async Task<(FakeZendesk Zendesk, BenchHost Host)> StartAsync(params string[] extra)
    {
        var zendesk = await FakeZendesk.StartAsync();
        zendesk.PageSize = 100;
        var host = await BenchHost.StartAsync(HostSettings(zendesk, extra));
        await host.App.Services.GetRequiredService<KnowledgeImporter>().ImportFolderAsync(Path.Combine(FindSamples(), "knowledge"), null, CancellationToken.None);
        for (var i = 0; i < Tickets; i++)
            zendesk.AddTicket(FirstId + i, $"Question {i}", Questions[i % Questions.Length]);
        return (zendesk, host);
    }

    /// <summary>The pipeline and the write-back called in <see cref="Workers"/> loops: no webhook, no inbox, no job store.</summary>
    private static async Task<(double TicketsPerS, int Notes)> DirectAsync()
    {
        var (zendesk, host) = await StartAsync();
        await using (zendesk)
        await using (host)
        {
            var pipeline = host.App.Services.GetRequiredService<CopilotPipeline>();
            var writeBack = host.App.Services.GetRequiredService<SuggestionWriteBack>();
            var started = TimeProvider.System.GetTimestamp();
            await Parallel.ForEachAsync(Enumerable.Range(0, Tickets), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (i, ct) =>
            {
                var ticketId = (FirstId + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var outcome = await pipeline.RunAsync("zendesk", ticketId, [$"d-{i}"], ct);
                if (outcome.Suggestion is { Status: SuggestionStatus.PendingWrite } suggestion)
                    await writeBack.WriteAsync(suggestion.Id, ct);
            });
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            var notes = Puts(zendesk).Count;
            return (Math.Round(notes / elapsed.TotalSeconds, 1), notes);
        }
    }

    private static async Task<JsonObject> ScheduledAsync()
    {
        var (zendesk, host) = await StartAsync();
        await using (zendesk)
        await using (host)
            return await ScheduledAsync(zendesk, [host]);
    }

    private static async Task<JsonObject> ScheduledAsync(FakeZendesk zendesk, IReadOnlyList<BenchHost> hosts)
    {
        {
            var clients = hosts.Select(h => new HttpClient { BaseAddress = h.BaseAddress }).ToArray();
            var signed = Enumerable.Range(0, Tickets).Select(i => BenchHost.SignedEvent($"p-{i}", FirstId + i)).ToArray();
            var sentAt = new long[Tickets];
            var started = TimeProvider.System.GetTimestamp();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Tickets)
                {
                    sentAt[i] = TimeProvider.System.GetTimestamp();
                    using var response = await clients[i % clients.Length].SendAsync(BenchHost.Request(signed[i]));
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
            var latencies = putAt.Select(p => TimeProvider.System.GetElapsedTime(sentAt[p.Key - FirstId], p.Value).TotalMilliseconds).Order().ToList();
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
                ["hangfire_workers"] = Workers,
                ["cores"] = Environment.ProcessorCount,
            };
        }
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
