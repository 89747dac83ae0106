using System.Text.Json.Nodes;
using HelpdeskSidecar.Reports.Themes;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace HelpdeskSidecar.Tests.Reports.Themes;

/// <summary>
/// The rising-theme webhook against a real listener on loopback (WireMock): a rising theme is POSTed once per week however
/// often the check runs, a failed POST is tried again at the next check, and the payload carries no customer text.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class RisingThemeWebhookTests(string provider)
{
    private WireMockServer _listener = null!;
    private SidecarTestHost _host = null!;
    private ManualTimeProvider _clock = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var storage = await StorageProviders.SettingsAsync(provider);
        _listener = WireMockServer.Start();
        _clock = new ManualTimeProvider(ThemeMessages.Now);
        _host = await SidecarTestHost.StartAsync(
            ["Sidecar:Themes:Encoder=hashed", "Sidecar:Themes:DistanceThreshold=0.8", $"Sidecar:Themes:RisingWebhook={_listener.Url}/hooks/themes", .. storage],
            b => b.Services.AddSingleton<TimeProvider>(_clock));
        await ThemeMessages.AddAsync(_host.App.Services);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        _listener?.Stop();
        _listener?.Dispose();
    }

    private void Answer(int status)
    {
        _listener.Reset();
        _listener.Given(Request.Create().WithPath("/hooks/themes").UsingPost()).RespondWith(Response.Create().WithStatusCode(status));
    }

    private int Posts(int status) => _listener.LogEntries.Count(e => e.ResponseMessage.StatusCode is int s && s == status);

    [Test]
    public async Task Check_TwiceInAWeek_PostsTheRisingThemeOnce_WithoutCustomerText()
    {
        Answer(200);
        var alerts = _host.Service<RisingThemeAlerts>();
        var first = await alerts.CheckAsync(CancellationToken.None);
        var second = await alerts.CheckAsync(CancellationToken.None);

        Assert.That(first.Sent, Has.Count.EqualTo(1));
        Assert.That(second.Sent, Is.Empty);
        Assert.That(second.AlreadySent, Is.EqualTo(first.Sent));
        Assert.That(_listener.LogEntries.Count(), Is.EqualTo(1));
        var body = JsonNode.Parse(_listener.LogEntries.Single().RequestMessage.Body!)!;
        Assert.That(body["event"]!.GetValue<string>(), Is.EqualTo("theme.rising"));
        Assert.That(body["week"]!.GetValue<string>(), Is.EqualTo("2026-W10"));
        Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(body["words"]!.AsArray().Select(w => w!.GetValue<string>()), Does.Contain("parcel"));
        Assert.That(body["weekly"]!.AsArray().Select(w => w!.GetValue<int>()), Is.EqualTo(new[] { 0, 0, 0, 1, 1, 1, 1, 6 }));
        Assert.That(body.ToJsonString(), Does.Not.Contain("Order"), "no example text leaves in the webhook");
    }

    [Test]
    public async Task Check_AfterAFailedPost_TriesAgain_ThenNoMore()
    {
        Answer(503);
        var alerts = _host.Service<RisingThemeAlerts>();
        var failed = await alerts.CheckAsync(CancellationToken.None);
        Assert.That(failed.Failed, Has.Count.EqualTo(1));
        Assert.That(failed.Sent, Is.Empty);

        Answer(200);
        Assert.That((await alerts.CheckAsync(CancellationToken.None)).Sent, Has.Count.EqualTo(1), "the claim was released");
        Assert.That((await alerts.CheckAsync(CancellationToken.None)).Sent, Is.Empty);
        Assert.That(Posts(200), Is.EqualTo(1));
    }

    [Test]
    public async Task Check_NextWeek_IsANewPeriod_TheThemeIsJudgedAgain()
    {
        Answer(200);
        var alerts = _host.Service<RisingThemeAlerts>();
        Assert.That((await alerts.CheckAsync(CancellationToken.None)).Sent, Has.Count.EqualTo(1));
        _clock.Advance(TimeSpan.FromDays(7)); // W11: nothing new, so nothing rises
        var nextWeek = await alerts.CheckAsync(CancellationToken.None);
        Assert.That(nextWeek.Sent.Concat(nextWeek.AlreadySent), Is.Empty);
        Assert.That(_listener.LogEntries.Count(), Is.EqualTo(1));
    }
}
