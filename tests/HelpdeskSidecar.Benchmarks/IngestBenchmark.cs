using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// Signed webhooks to the real endpoint over loopback from 64 concurrent connections; every 202 means the
/// event was committed (group commit, fsync) before the response.
/// </summary>
internal static class IngestBenchmark
{
    private const int Connections = 64;
    private const int Warmup = 2_000;
    private const int Events = 60_000;
    private const int Tickets = 500;

    public static async Task<string> RunAsync()
    {
        await using var host = await BenchHost.StartAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseAddress };

        var warm = Enumerable.Range(0, Warmup).Select(i => BenchHost.SignedEvent($"warm-{i}", 1 + i % Tickets)).ToArray();
        await DriveAsync(client, warm, new double[warm.Length]);

        var signed = Enumerable.Range(0, Events).Select(i => BenchHost.SignedEvent($"evt-{i}", 1 + i % Tickets)).ToArray();
        var latencies = new double[signed.Length];
        var started = TimeProvider.System.GetTimestamp();
        var failures = await DriveAsync(client, signed, latencies);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        var sorted = latencies.Order().ToList();
        return new JsonObject
        {
            ["bench"] = "ingest",
            ["events"] = Events,
            ["connections"] = Connections,
            ["events_per_s"] = Math.Round(Events / elapsed.TotalSeconds),
            ["p50_ms"] = Math.Round(Percentiles.Of(sorted, 50), 2),
            ["p99_ms"] = Math.Round(Percentiles.Of(sorted, 99), 2),
            ["max_ms"] = Math.Round(sorted[^1], 2),
            ["non_202"] = failures,
            ["cores"] = Environment.ProcessorCount,
        }.ToJsonString();
    }

    private static async Task<int> DriveAsync(HttpClient client, (byte[], string, string)[] signed, double[] latencies)
    {
        var next = -1;
        var failures = 0;
        var workers = Enumerable.Range(0, Connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < signed.Length)
            {
                var sent = TimeProvider.System.GetTimestamp();
                using var response = await client.SendAsync(BenchHost.Request(signed[i]));
                latencies[i] = TimeProvider.System.GetElapsedTime(sent).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Accepted)
                    Interlocked.Increment(ref failures);
            }
        });
        await Task.WhenAll(workers);
        return failures;
    }
}
