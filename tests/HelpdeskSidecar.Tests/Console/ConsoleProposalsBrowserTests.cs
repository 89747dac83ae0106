using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;
using static HelpdeskSidecar.Tests.Knowledge.Proposals.ProposalTestData;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The article proposals page in a real browser (Debian's Chromium): an ops lead opens a proposal made from a solved
/// knowledge-gap ticket, edits it, approves it, and the loopback Zendesk receives one draft article with the edit; a
/// manager reads the same proposal without any form. Screenshots at desktop width and at 390 px.
/// </summary>
[NonParallelizable]
public sealed class ConsoleProposalsBrowserTests
{
    private const string Password = "correct horse battery staple";

    private FakeZendesk? _zendesk;
    private SidecarTestHost? _host;
    private Browser? _browser;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _zendesk = await FakeZendesk.StartAsync();
        _host = await SidecarTestHost.StartAsync([.. _zendesk.ConnectionSettings, "Sidecar:Authoring:Zendesk:SectionId=360001"]);
        await _host.Service<UserStore>().UpsertAsync("oscar", Role.OpsLead, Password, CancellationToken.None);
        await _host.Service<UserStore>().UpsertAsync("maria", Role.Manager, Password, CancellationToken.None);
        var ticket = _zendesk.AddTicket(9701, "Courier job application - Porto",
            "I have five years of experience as a van driver and would like to apply for a courier position in Porto. Where should I send my CV?");
        await GapAsync(_host, _host.Service<ZendeskClient>(), "9701", "I have five years of experience as a van driver and would like to apply for a courier position in Porto. Where should I send my CV?");
        ticket.AddComment(FakeZendesk.AgentId, "Hi Casey, thanks for your interest in working with us. Open courier roles are published on our careers page; applying there is the quickest way to be considered.", isPublic: true);
        ticket.Status = "solved";
        await TrackAsync(_host, _host.Service<ZendeskClient>(), "9701");
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_zendesk is not null)
            await _zendesk.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    [Test]
    public async Task OpsLead_ReviewsEditsAndApproves_OneDraftArticleReachesZendesk_ManagerOnlyReads()
    {
        foreach (var (width, suffix) in new[] { (1280, "desktop"), (390, "390") })
        {
            var page = await _browser!.SignInAsync(_host!.BaseAddress.ToString(), "maria", Password, width);
            await page.GotoAsync("/console/knowledge");
            await page.ClickAsync("#kb-proposals-link");
            await Assertions.Expect(page.Locator("#proposals")).ToContainTextAsync("Courier job application - Porto");
            await Browser.ScreenshotAsync(page, $"proposals-list-{suffix}");
            await page.ClickAsync("#proposals a");
            await Assertions.Expect(page.Locator("#read-only-note")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#proposal-form")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#proposal-answer")).ToContainTextAsync("careers page");
            await Assertions.Expect(page.Locator("#proposal-answer")).Not.ToContainTextAsync("Casey");
            await page.Context.CloseAsync();
        }

        var ops = await _browser!.SignInAsync(_host!.BaseAddress.ToString(), "oscar", Password);
        await ops.GotoAsync("/console/knowledge/proposals?status=proposed");
        await ops.ClickAsync("#proposals a");
        await Assertions.Expect(ops.Locator("#proposal-questions")).ToContainTextAsync("apply for a courier position");
        await Browser.ScreenshotAsync(ops, "proposal-review-desktop");

        // A bad edit is shown in place, nothing is saved.
        await ops.FillAsync("#proposal-title", " ");
        await ops.EvaluateAsync("document.getElementById('proposal-title').removeAttribute('required')");
        await ops.ClickAsync("#proposal-save");
        await Assertions.Expect(ops.Locator("#form-errors")).ToContainTextAsync("'title' must be 1 to");

        await ops.FillAsync("#proposal-title", "Applying for a courier job");
        await ops.FillAsync("#proposal-tags", "careers jobs");
        await ops.ClickAsync("#proposal-save");
        await Assertions.Expect(ops.Locator("#saved-message")).ToHaveTextAsync("Saved.");
        await Assertions.Expect(ops.Locator("#page-title")).ToHaveTextAsync("Applying for a courier job");

        await ops.ClickAsync("#proposal-approve");
        await Assertions.Expect(ops.Locator("#saved-message")).ToContainTextAsync("published to the helpdesk as a draft article");
        await Assertions.Expect(ops.Locator("#published-article")).ToContainTextAsync(_zendesk!.CreatedArticles.Single().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Browser.ScreenshotAsync(ops, "proposal-approved-desktop");

        var sent = JsonNode.Parse(_zendesk.ArticlePosts.Single().Body!)!["article"]!;
        Assert.That(sent["title"]!.GetValue<string>(), Is.EqualTo("Applying for a courier job"));
        Assert.That(sent["draft"]!.GetValue<bool>(), Is.True);
        Assert.That(sent["label_names"]!.AsArray().Select(l => l!.GetValue<string>()).Skip(1), Is.EqualTo(new[] { "careers", "jobs" }));

        var narrow = await _browser.SignInAsync(_host.BaseAddress.ToString(), "oscar", Password, 390);
        await narrow.GotoAsync("/console/knowledge/proposals");
        await narrow.ClickAsync("#proposals a");
        await Assertions.Expect(narrow.Locator("#proposal-status")).ToContainTextAsync("published as draft");
        var overflow = await narrow.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, "no sideways scrolling at 390 px");
        await Browser.ScreenshotAsync(narrow, "proposal-approved-390");
        Assert.That(_zendesk.ArticlePosts, Has.Count.EqualTo(1));
    }
}
