using System.Net;
using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Ingestion;

/// <summary>
/// Webhook bodies leave the inbox once their event is dispatched (after the retention); undispatched ones stay. On both
/// providers; the bytes-in-the-file check is SQLite's (secure_delete), PostgreSQL frees them at VACUUM.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class InboxPayloadRetentionTests(string provider)
{
    private const string Email = "ana.lopez.customer@example.com";
    private const string Card = "4111 1111 1111 1111";

    private static string EventWithPii(string eventId, long ticketId) =>
        SidecarTestHost.TicketEvent(eventId, ticketId).Replace("\"A subject\"", $"\"Refund to {Card}, write to {Email}\"", StringComparison.Ordinal);

    [Test]
    public async Task DispatchedEvent_PayloadDropped_RowAndDedupeKept()
    {
        await using var host = await SidecarTestHost.StartAsync([.. await StorageProviders.SettingsAsync(provider), "Sidecar:Ingestion:PayloadSweepInterval=00:00:00.100"]);
        var body = EventWithPii("evt-pii-1", 6161);
        using (var response = await host.AnonymousClient.SendAsync(SidecarTestHost.SignedWebhook(body)))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var database = host.Service<Database>();

        var row = await Eventually.GetAsync(async () =>
        {
            await using var connection = await database.OpenAsync();
            return await connection.QuerySingleAsync<(string? Disposition, byte[] Payload)>(
                "SELECT disposition, payload FROM inbox_events WHERE dedupe_key = 'evt-pii-1'");
        }, r => r.Disposition is not null && r.Payload.Length == 0, because: "the event dispatched and its body dropped");

        Assert.That(row.Disposition, Is.EqualTo("scheduled"));
        await using (var connection = await database.OpenAsync())
        {
            var stored = await connection.QueryAsync<byte[]>("SELECT payload FROM inbox_events");
            Assert.That(stored.Select(p => System.Text.Encoding.UTF8.GetString(p)), Has.None.Contain(Email).And.None.Contain(Card));
            // With the freed space zeroed and the WAL written back, the bytes are not in the file either.
            if (provider == StorageProviders.Sqlite)
                await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        if (provider == StorageProviders.Sqlite)
        {
            var file = await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "sidecar.db"));
            Assert.That(System.Text.Encoding.UTF8.GetString(file), Does.Not.Contain(Email), "the body is gone from sidecar.db's bytes");
        }

        using (var redelivery = await host.AnonymousClient.SendAsync(SidecarTestHost.SignedWebhook(body)))
            Assert.That(redelivery.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await using (var connection = await database.OpenAsync())
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE dedupe_key = 'evt-pii-1'"), Is.EqualTo(1), "a redelivery is still a duplicate");
    }

    [Test]
    public async Task Sweep_DropsOnlyBodiesDispatchedLongerAgoThanTheRetention()
    {
        using var temp = new TempDirectory();
        var options = new SidecarOptions { DataDir = temp.DataDir };
        if (provider == StorageProviders.Postgres)
            options.Storage = new StorageOptions { Provider = "Postgres", ConnectionString = await TestPostgres.CreateDatabaseAsync() };
        await using var database = new Database(Options.Create(options));
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow();
        await using (var connection = await database.OpenAsync())
        {
            foreach (var (key, dispatched) in new (string, DateTimeOffset?)[] { ("old", now.AddHours(-2)), ("recent", now.AddMinutes(-10)), ("waiting", null) })
                await connection.ExecuteAsync(
                    "INSERT INTO inbox_events (provider, dedupe_key, event_type, ticket_id, received_at, payload, dispatched_at) VALUES ('zendesk', @key, 't', '1', @received, @payload, @dispatched)",
                    new { key, received = now.AddHours(-3).ToString("O"), payload = System.Text.Encoding.UTF8.GetBytes($"{{\"subject\":\"{Email}\"}}"), dispatched = dispatched?.ToString("O") });
        }
        options.Ingestion.PayloadRetention = TimeSpan.FromHours(1);
        var retention = new InboxPayloadRetention(database, Options.Create(options), clock, NullLogger<InboxPayloadRetention>.Instance);

        var dropped = await retention.SweepAsync(CancellationToken.None);

        await using var check = await database.OpenAsync();
        var lengths = (await check.QueryAsync<(string Key, long Length)>("SELECT dedupe_key, length(payload) FROM inbox_events ORDER BY id")).ToDictionary(r => r.Key, r => r.Length);
        Assert.Multiple(() =>
        {
            Assert.That(dropped, Is.EqualTo(1));
            Assert.That(lengths["old"], Is.EqualTo(0), "dispatched 2 h ago, retention 1 h: dropped");
            Assert.That(lengths["recent"], Is.GreaterThan(0), "dispatched 10 min ago: kept for now");
            Assert.That(lengths["waiting"], Is.GreaterThan(0), "not dispatched yet: nothing acknowledged is lost");
        });
        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await retention.SweepAsync(CancellationToken.None), Is.EqualTo(1), "an hour later the recent one goes too, the waiting one never");
    }
}
