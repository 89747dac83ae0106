using System.Net;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reliability;

/// <summary>The same event delivered many times at once (a helpdesk retrying an answer it did not see): one note.</summary>
public class ConcurrentDuplicateDeliveryTests
{
    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithZendesk().WithFreshdesk().InLiveMode().StartAsync();
        (_zendesk, _freshdesk, _host) = (_scenario.Zendesk, _scenario.Freshdesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task Zendesk_SameEvent25TimesConcurrently_OneRowOneNote()
    {
        _zendesk.AddTicket(8801, "Parcel", "Where is my parcel?");
        var body = SidecarTestHost.TicketEvent("evt-dup-concurrent", 8801);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 25).Select(async _ =>
        {
            using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(body));
            return response.StatusCode;
        }));
        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Accepted));

        await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(8801).Count), n => n >= 1, because: "the note");
        await QuietAsync("zendesk", "8801");
        Assert.That(_zendesk.Puts(8801), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Freshdesk_SameEventAndOverlappingEventsConcurrently_OneNote()
    {
        _freshdesk.AddTicket(8802, "Parcel", "Where is my parcel?");
        // 20 redeliveries of one event, and 5 other events (later updates) for the same ticket, all at once.
        var bodies = Enumerable.Repeat(SidecarTestHost.FreshdeskEvent(8802), 20)
            .Concat(Enumerable.Range(1, 5).Select(i => SidecarTestHost.FreshdeskEvent(8802, "{note_type:public}", $"2026-01-01T10:0{i}:00Z")));
        var statuses = await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(body));
            return response.StatusCode;
        }));
        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Accepted));

        await Eventually.GetAsync(() => Task.FromResult(_freshdesk.Notes(8802).Count), n => n >= 1, because: "the note");
        await QuietAsync("freshdesk", "8802");
        Assert.That(_freshdesk.NotePosts(8802), Has.Count.EqualTo(1));
        Assert.That(_freshdesk.Notes(8802), Has.Count.EqualTo(1));
    }

    /// <summary>Waits until no pipeline run or write-back is waiting or running: then no second note can be on its way.</summary>
    private Task QuietAsync(string provider, string ticketId) =>
        HangfireJobs.QuietAsync(_host, $"the pipeline and write-back of {provider} ticket {ticketId} to finish");
}
