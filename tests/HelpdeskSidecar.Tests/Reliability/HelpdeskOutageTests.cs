using System.Net;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reliability;

/// <summary>The helpdesk refuses writes for a while (503s, then a long Retry-After): after it recovers, each note is written once.</summary>
public class HelpdeskOutageTests
{
    private SidecarScenario _scenario = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithFreshdesk().InLiveMode().With("Sidecar:Scheduling:RetryInitialDelay=00:00:01").StartAsync();
        (_freshdesk, _host) = (_scenario.Freshdesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task NotesAnswered503SixTimes_AfterRecovery_ExactlyOneNote()
    {
        _freshdesk.AddTicket(6601, "Parcel", "Where is my parcel?");
        _freshdesk.FailNextNotes(503, null, times: 6);

        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(6601)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        await Eventually.GetAsync(() => Task.FromResult(_freshdesk.Notes(6601).Count), n => n >= 1, TimeSpan.FromSeconds(60), "the note after the outage");
        Assert.That(_freshdesk.NotePosts(6601), Has.Count.EqualTo(7), "six refused attempts (inline retries, then a rescheduled job) and one written");
        Assert.That(_freshdesk.Notes(6601), Has.Count.EqualTo(1));
        // The rescheduled attempt looked for its marker before posting again.
        Assert.That(_freshdesk.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/api/v2/tickets/6601/conversations", StringComparison.Ordinal)),
            Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task NoteAnswered429WithLongRetryAfter_IsRescheduledNotWaitedOut_AndWrittenOnceNoSoonerThanAsked()
    {
        _freshdesk.AddTicket(6602, "Parcel", "Where is my parcel?");
        _freshdesk.FailNextNotes(429, "7", times: 1); // longer than the pipeline waits inline: the job is rescheduled

        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(6602)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        await Eventually.GetAsync(() => Task.FromResult(_freshdesk.Notes(6602).Count), n => n >= 1, TimeSpan.FromSeconds(60), "the note after the wait");
        var posts = _freshdesk.NotePosts(6602);
        Assert.That(posts, Has.Count.EqualTo(2));
        Assert.That(TimeProvider.System.GetElapsedTime(posts[0].ReceivedAt, posts[1].ReceivedAt), Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(20)));
        Assert.That(_freshdesk.Notes(6602), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task NoteAnswered429_OneAttemptAllowed_RetryAfterUsesNoAttemptAndTheNoteIsWritten()
    {
        // A second host that allows each job a single run: had the Retry-After wait used up an attempt, the
        // write-back would fail for good instead of writing the note.
        await using var strict = await SidecarTestHost.StartAsync(
        [
            "Sidecar:Mode=Live",
            $"Sidecar:Freshdesk:BaseUrl={_freshdesk.BaseUrl}",
            $"Sidecar:Freshdesk:ApiKey={FakeFreshdesk.ApiKey}",
            "Sidecar:Scheduling:MaxRetries=1",
        ]);
        _freshdesk.AddTicket(6603, "Parcel", "Where is my parcel?");
        _freshdesk.FailNextNotes(429, "6", times: 1); // longer than the client waits inline

        using var response = await strict.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(6603)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        await Eventually.GetAsync(() => Task.FromResult(_freshdesk.Notes(6603).Count), n => n >= 1, TimeSpan.FromSeconds(30), "the note after the wait");
        Assert.That(_freshdesk.NotePosts(6603), Has.Count.EqualTo(2));
    }
}
