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

    public static Task<string> RunAsync(string name, params string[] args) => RunAsync(name, 1, args);

    /// <param name="replicas">Hosts on the same settings (one database, for PostgreSQL); the connections are spread over them.</param>
    public static async Task<string> RunAsync(string name, int replicas, params string[] args)
    {
        var hosts = new List<BenchHost>();
        for (var r = 0; r < replicas; r++)
            hosts.Add(await BenchHost.StartAsync(args));
        try
        {
            return await MeasureAsync(name, hosts);
        }
        finally
        {
            foreach (var h in hosts)
                await h.DisposeAsync();
        }
    }

    private static async Task<string> MeasureAsync(string name, List<BenchHost> hosts)
    {
        var host = hosts[0];
        var connections = await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => RawHttpConnection.OpenAsync(hosts[c % hosts.Count].BaseAddress)));

        var warm = Enumerable.Range(0, Warmup).Select(i => Build(host.BaseAddress, BenchHost.SignedEvent($"warm-{i}", 1 + i % Tickets))).ToArray();
        await DriveAsync(connections, warm, new double[warm.Length]);

        var signed = Enumerable.Range(0, Events).Select(i => Build(host.BaseAddress, BenchHost.SignedEvent($"evt-{i}", 1 + i % Tickets))).ToArray();
        var latencies = new double[signed.Length];
        var started = TimeProvider.System.GetTimestamp();
        var failures = await DriveAsync(connections, signed, latencies);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        var sorted = latencies.Order().ToList();
        return new JsonObject
        {
            ["bench"] = name,
            ["events"] = Events,
            ["connections"] = Connections,
            ["replicas"] = hosts.Count,
            ["events_per_s"] = Math.Round(Events / elapsed.TotalSeconds),
            ["p50_ms"] = Math.Round(Percentiles.Of(sorted, 50), 2),
            ["p99_ms"] = Math.Round(Percentiles.Of(sorted, 99), 2),
            ["max_ms"] = Math.Round(sorted[^1], 2),
            ["non_202"] = failures,
            ["cores"] = Environment.ProcessorCount,
        }.ToJsonString();
    }

    private static byte[] Build(Uri server, (byte[] Body, string Signature, string Timestamp) signed) =>
        RawHttpConnection.BuildPost(server, "/webhooks/zendesk", new Dictionary<string, string>
        {
            [HelpdeskSidecar.Ingestion.ZendeskWebhookEndpoint.SignatureHeader] = signed.Signature,
            [HelpdeskSidecar.Ingestion.ZendeskWebhookEndpoint.TimestampHeader] = signed.Timestamp,
        }, signed.Body);

    private static async Task<int> DriveAsync(RawHttpConnection[] connections, byte[][] requests, double[] latencies)
    {
        var next = -1;
        var failures = 0;
        var workers = connections.Select(async connection =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length)
            {
                var sent = TimeProvider.System.GetTimestamp();
                var status = await connection.SendAsync(requests[i]);
                latencies[i] = TimeProvider.System.GetElapsedTime(sent).TotalMilliseconds;
                if (status != (int)HttpStatusCode.Accepted)
                    Interlocked.Increment(ref failures);
            }
        });
        await Task.WhenAll(workers);
        return failures;
    }
}
