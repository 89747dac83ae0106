using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reliability;

/// <summary>
/// Two real sidecar processes on one PostgreSQL (each with a data dir of its own), 200 signed Zendesk webhooks spread
/// over both, and <c>kill -9</c> of one in the middle of the burst. Like a load balancer, a delivery the killed replica
/// cannot take goes to the other. Every event that got a 202 ends in exactly one note at the fake Zendesk, none doubled,
/// and the survivor finishes the killed replica's work (its fetched jobs come back after
/// <c>Sidecar:Scheduling:InvisibilityTimeout</c>) within 60 s of the kill.
/// </summary>
[NonParallelizable]
public class TwoReplicasTests
{
    private const int Events = 200;
    private const int KillAfterAcks = 100;
    private const int KillAfterNotes = 5;
    private const int KillAtTheLatestAfterAcks = 130;
    private const long FirstTicket = 30_000;

    [Test]
    public async Task Burst_OverTwoReplicasOneKilled_EveryAcknowledgedEventGetsExactlyOneNote()
    {
        var storage = await StorageProviders.SettingsAsync(StorageProviders.Postgres);
        await using var zendesk = await FakeZendesk.StartAsync();
        using var dataA = new TempDirectory();
        using var dataB = new TempDirectory();
        for (var i = 0; i < Events; i++)
            zendesk.AddTicket(FirstTicket + i, $"Question {i}", $"Customer question number {i} about an order that has not arrived.");
        string[] Settings(TempDirectory dataDir) =>
        [
            $"Sidecar:DataDir={dataDir.Path}",
            .. storage,
            "Sidecar:Mode=Live",
            .. zendesk.ConnectionSettings,
            $"Sidecar:Zendesk:WebhookSecrets:0={SidecarTestHost.Secret}",
            "Sidecar:Scheduling:Debounce=00:00:00.100",
            "Sidecar:Scheduling:InboxPollInterval=00:00:00.200",
            "Sidecar:Scheduling:RetryInitialDelay=00:00:01",
            "Sidecar:Zendesk:RateLimit:Requests=0",
            "Sidecar:Zendesk:RateLimit:TicketUpdates=0",
        ];

        // Started together: the second waits on the first's migrations (advisory lock) instead of racing them.
        var starting = new[] { SidecarProcess.StartAsync(Settings(dataA)), SidecarProcess.StartAsync(Settings(dataB)) };
        await Task.WhenAll(starting);
        await using var a = starting[0].Result;
        await using var b = starting[1].Result;
        using var clientA = new HttpClient { BaseAddress = a.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var clientB = new HttpClient { BaseAddress = b.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var acked = new ConcurrentDictionary<long, string>();
        var killedAt = 0L;
        using (var gate = new SemaphoreSlim(4))
        {
            var killed = 0;
            var sends = Enumerable.Range(0, Events).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var ticket = FirstTicket + i;
                    // Odd events go to A, even to B; what A cannot take any more goes to B, as a load balancer would send it.
                    foreach (var (client, name) in i % 2 == 1 ? new[] { (clientA, "A"), (clientB, "B") } : [(clientB, "B")])
                    {
                        if (await TrySendAsync(client, i, ticket))
                        {
                            acked[ticket] = name;
                            break;
                        }
                    }
                }
                finally
                {
                    // Paced like a helpdesk flushing its queue, so runs and note writes are under way when the kill lands.
                    await Task.Delay(15);
                    gate.Release();
                }
                var notes = zendesk.Requests.Count(r => r.Method == "PUT");
                var due = (acked.Count >= KillAfterAcks && notes >= KillAfterNotes) || acked.Count >= KillAtTheLatestAfterAcks;
                if (due && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    await a.KillAsync();
                    Interlocked.Exchange(ref killedAt, Stopwatch.GetTimestamp());
                }
            });
            await Task.WhenAll(sends);
        }
        Assert.That(a.HasExited, Is.True, "replica A was killed mid-burst");
        Assert.That(b.HasExited, Is.False, "replica B lives on");
        var ackedByA = acked.Count(p => p.Value == "A");
        Assert.That(ackedByA, Is.GreaterThan(20), "A took its share before the kill");
        Assert.That(acked, Has.Count.EqualTo(Events), "every delivery was acknowledged by one replica or the other");

        var expected = acked.Keys.ToHashSet();
        var notedAtKill = expected.Count(t => zendesk.Puts(t).Count > 0);
        await Eventually.GetAsync(
            () => Task.FromResult(expected.Count(t => zendesk.Puts(t).Count == 0)),
            missing => missing == 0, TimeSpan.FromSeconds(60), "a note on every acknowledged ticket within 60 s of the kill");
        var recovered = Stopwatch.GetElapsedTime(Interlocked.Read(ref killedAt));
        TestContext.Progress.WriteLine(
            $"{ackedByA} of {Events} events acknowledged by A before the kill; {notedAtKill} tickets noted at the kill; all noted {recovered.TotalSeconds:0.0} s after it");

        // Let everything in flight finish: no request reaches the fake for two seconds.
        await Eventually.GetAsync(async () =>
        {
            var before = zendesk.Requests.Count;
            await Task.Delay(TimeSpan.FromSeconds(2));
            return zendesk.Requests.Count - before;
        }, newRequests => newRequests == 0, TimeSpan.FromSeconds(60), "replica B to go quiet");

        var notesPerTicket = Enumerable.Range(0, Events).Select(i => zendesk.Puts(FirstTicket + i).Count).ToList();
        Assert.That(notesPerTicket, Is.All.EqualTo(1), b.Tail);
        Assert.That(recovered, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(60)));
    }

    private static async Task<bool> TrySendAsync(HttpClient client, int i, long ticket)
    {
        try
        {
            using var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent($"evt-two-{i}", ticket));
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.Accepted;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false; // not acknowledged: the next replica gets it
        }
    }
}
