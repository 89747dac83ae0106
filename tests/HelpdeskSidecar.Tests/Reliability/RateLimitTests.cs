using System.Net;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reliability;

/// <summary>
/// The client-side limit from configuration, counted at the fake: never more ticket updates in a window than
/// configured, and every note still written once.
/// </summary>
public class RateLimitTests
{
    private const int UpdatesPerWindow = 2;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    [Test]
    public async Task ManyNotes_UpdateLimitFromConfiguration_IsNeverExceededAndEveryNoteIsWrittenOnce()
    {
        await using var scenario = await SidecarScenario.Create()
            .WithFreshdesk()
            .InLiveMode()
            .With(
                $"Sidecar:Freshdesk:RateLimit:TicketUpdates={UpdatesPerWindow}",
                $"Sidecar:Freshdesk:RateLimit:Window={Window}",
                "Sidecar:Scheduling:RetryInitialDelay=00:00:01")
            .StartAsync();
        var (freshdesk, host) = (scenario.Freshdesk, scenario.Host);
        var tickets = Enumerable.Range(0, 5).Select(i => 7700L + i).ToList();
        foreach (var ticket in tickets)
        {
            freshdesk.AddTicket(ticket, "Parcel", "Where is my parcel?");
            using var response = await host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(ticket)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        await Eventually.GetAsync(() => Task.FromResult(tickets.Count(t => freshdesk.Notes(t).Count == 0)), missing => missing == 0,
            TimeSpan.FromSeconds(60), "a note on every ticket");

        Assert.That(tickets.Select(t => freshdesk.NotePosts(t).Count), Is.All.EqualTo(1), "each note was sent once: waiting happened on our side");
        var sent = freshdesk.Requests.Where(r => r.Method == "POST").Select(r => r.ReceivedAt).Order().ToList();
        for (var i = UpdatesPerWindow; i < sent.Count; i++)
        {
            var span = TimeProvider.System.GetElapsedTime(sent[i - UpdatesPerWindow], sent[i]);
            Assert.That(span, Is.GreaterThanOrEqualTo(Window - TimeSpan.FromMilliseconds(20)),
                $"updates {i - UpdatesPerWindow + 1} to {i + 1} arrived within {span.TotalMilliseconds:0} ms");
        }
    }
}
