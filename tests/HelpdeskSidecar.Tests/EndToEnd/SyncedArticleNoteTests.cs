using System.Net;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Knowledge.Sync;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>An article that reached the index through <c>kb sync freshdesk</c> is cited in the private note, end to end.</summary>
public class SyncedArticleNoteTests
{
    private SidecarScenario _scenario = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithFreshdesk().InLiveMode().WithHistory(IntentClassifierTests.History()).StartAsync();
        (_freshdesk, _host) = (_scenario.Freshdesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task Webhook_AfterFreshdeskSync_NoteCitesSyncedSolutionsArticle()
    {
        var listing = HelpdeskArticles.FromFreshdeskAsync(_host.Service<FreshdeskClient>(), CancellationToken.None);
        var report = await _host.Service<KnowledgeSync>().SyncAsync("freshdesk", listing, null, CancellationToken.None);
        Assert.That(report.Added, Is.GreaterThan(0));
        _freshdesk.AddTicket(96, "Change my email address", "How do I update the email address and phone number in my account details?");

        using (var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(96))))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var notes = await Eventually.GetAsync(() => Task.FromResult(_freshdesk.Notes(96)), n => n.Count >= 1, because: "the private note");
        Assert.That(notes[0].BodyText + notes[0].BodyHtml, Does.Contain("Changing account details"));
    }
}
