using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Net.Http.Headers;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reliability;

/// <summary>
/// kill -9 of the real sidecar process in the middle of a burst of signed Zendesk webhooks, then a restart on the
/// same data dir: every event that got a 202 ends in exactly one note at the fake Zendesk — none lost, none doubled —
/// within 60 s of the restart (jobs the killed process had fetched come back after Sidecar:Scheduling:InvisibilityTimeout).
/// </summary>
[NonParallelizable]
public class KillDuringBurstTests
{
    private const int Events = 150;
    private const int KillAfterAcks = 100;
    private const int KillAfterNotes = 5;
    private const int KillAtTheLatestAfterAcks = 120;
    private const long FirstTicket = 20_000;

    [Test]
    public async Task Burst_KilledMidwayAndRestarted_EveryAcknowledgedEventGetsExactlyOneNote()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        using var dataDir = new TempDirectory();
        for (var i = 0; i < Events; i++)
            zendesk.AddTicket(FirstTicket + i, $"Question {i}", $"Customer question number {i} about an order that has not arrived.");
        string[] settings =
        [
            $"Sidecar:DataDir={dataDir.Path}",
            "Sidecar:Mode=Live",
            .. zendesk.ConnectionSettings,
            $"Sidecar:Zendesk:WebhookSecrets:0={SidecarTestHost.Secret}",
            "Sidecar:Scheduling:Debounce=00:00:00.100",
            "Sidecar:Scheduling:InboxPollInterval=00:00:00.200",
            "Sidecar:Scheduling:RetryInitialDelay=00:00:01",
            "Sidecar:Zendesk:RateLimit:Requests=0",
            "Sidecar:Zendesk:RateLimit:TicketUpdates=0",
        ];

        var acked = new ConcurrentBag<long>();
        await using (var first = await SidecarProcess.StartAsync(settings))
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using var gate = new SemaphoreSlim(4);
            var killed = 0;
            var sends = Enumerable.Range(0, Events).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var ticket = FirstTicket + i;
                    using var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent($"evt-kill-{i}", ticket));
                    using var response = await client.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                        acked.Add(ticket);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not acknowledged: the helpdesk would deliver it again; this test only counts what got a 202.
                }
                finally
                {
                    // Paced like a helpdesk flushing its queue, so that runs and note writes are under way when the kill lands.
                    await Task.Delay(15);
                    gate.Release();
                }
                var notes = zendesk.Requests.Count(r => r.Method == "PUT");
                var due = (acked.Count >= KillAfterAcks && notes >= KillAfterNotes) || acked.Count >= KillAtTheLatestAfterAcks;
                if (due && Interlocked.Exchange(ref killed, 1) == 0)
                    await first.KillAsync();
            });
            await Task.WhenAll(sends);
            Assert.That(first.HasExited, Is.True, "the sidecar was killed mid-burst");
        }
        Assert.That(acked.Count, Is.InRange(KillAfterAcks, Events - 1), "the kill landed in the middle of the burst");

        var expected = acked.ToHashSet();
        var notedBeforeRestart = expected.Count(t => zendesk.Puts(t).Count > 0);
        TestContext.Progress.WriteLine($"{expected.Count} of {Events} events acknowledged before the kill; {notedBeforeRestart} had their note already; {zendesk.Requests.Count} requests at the fake");

        await using var second = await SidecarProcess.StartAsync(settings);
        await Eventually.GetAsync(
            () => Task.FromResult(expected.Count(t => zendesk.Puts(t).Count == 0)),
            missing => missing == 0, TimeSpan.FromSeconds(60), "a note on every acknowledged ticket within 60 s of the restart");

        // Let everything in flight finish: no request reaches the fake for two seconds.
        await Eventually.GetAsync(async () =>
        {
            var before = zendesk.Requests.Count;
            await Task.Delay(TimeSpan.FromSeconds(2));
            return zendesk.Requests.Count - before;
        }, newRequests => newRequests == 0, TimeSpan.FromSeconds(60), "the sidecar to go quiet");

        var notesPerTicket = Enumerable.Range(0, Events).Select(i => (Ticket: FirstTicket + i, Notes: zendesk.Puts(FirstTicket + i).Count)).ToList();
        Assert.That(notesPerTicket.Where(t => expected.Contains(t.Ticket)).Select(t => t.Notes), Is.All.EqualTo(1), second.Tail);
        Assert.That(notesPerTicket.Select(t => t.Notes), Is.All.LessThanOrEqualTo(1), "no ticket has two notes");
        Assert.That(second.HasExited, Is.False);
    }
}
