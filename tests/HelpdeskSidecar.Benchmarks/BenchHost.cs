using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Ingestion;
using Microsoft.AspNetCore.Builder;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>The real sidecar host on loopback, with a throwaway data dir, as the benchmarks drive it.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string Secret = "bench-secret";

    private readonly string _dataDir;

    private BenchHost(WebApplication app, string dataDir)
    {
        App = app;
        _dataDir = dataDir;
    }

    public WebApplication App { get; }

    public Uri BaseAddress => new(App.Urls.First());

    public static async Task<BenchHost> StartAsync(params string[] settings)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sidecar-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Sidecar:DataDir={dataDir}",
            $"--Sidecar:Zendesk:WebhookSecrets:0={Secret}",
            "--Logging:LogLevel:Default=Error",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Error",
            "--Logging:LogLevel:Hangfire=Error",
            .. settings.Select(s => "--" + s),
        ];
        var app = Program.BuildHost(args);
        await app.StartAsync();
        return new BenchHost(app, dataDir);
    }

    /// <summary>Body and headers of a signed <c>ticket.created</c> event, made before the clock starts.</summary>
    public static (byte[] Body, string Signature, string Timestamp) SignedEvent(string eventId, long ticketId)
    {
        var timestamp = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["account_id"] = 22129848,
            ["detail"] = new JsonObject { ["id"] = ticketId.ToString(CultureInfo.InvariantCulture), ["brand_id"] = "1", ["status"] = "NEW" },
            ["event"] = new JsonObject(),
            ["id"] = eventId,
            ["subject"] = $"zen:ticket:{ticketId}",
            ["time"] = "2026-11-22T10:00:00Z",
            ["type"] = "zen:event-type:ticket.created",
            ["zendesk_event_version"] = "2022-11-06",
        }.ToJsonString());
        return (body, ZendeskSignature.Compute(Secret, timestamp, body), timestamp);
    }

    public static HttpRequestMessage Request((byte[] Body, string Signature, string Timestamp) signed)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zendesk") { Content = new ByteArrayContent(signed.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(ZendeskWebhookEndpoint.SignatureHeader, signed.Signature);
        request.Headers.Add(ZendeskWebhookEndpoint.TimestampHeader, signed.Timestamp);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}

internal static class Percentiles
{
    public static double Of(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
}
