using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The console for agents in a real browser (Debian's Chromium through Playwright): the suggestions list (filter, next
/// page), a suggestion's page (the diff, the sources, the verdict form) and a feedback-link page, each kept as a
/// screenshot at desktop and 390 px, and none of them scrolling sideways on the phone.
/// </summary>
[NonParallelizable]
public sealed class SuggestionAgentBrowserTests
{
    private const string Password = "correct horse battery staple";
    private SidecarScenario? _scenario;
    private SidecarTestHost _host = null!;
    private Browser _browser = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create().WithZendesk().WithUser("alex", Role.Agent, Password).StartAsync();
        _host = _scenario.Host;
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
            _scenario = null;
        }
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    private string BaseUrl => _host.Client.BaseAddress!.ToString().TrimEnd('/');

    private async Task AddAsync(Suggestion s, string? reply = null)
    {
        await _host.Service<SuggestionStore>().InsertAsync(s, CancellationToken.None);
        if (reply is not null)
        {
            var (verdict, similarity) = Verdicts.Judge(s.Draft!, reply, new AcceptanceOptions());
            await _host.Service<IVerdictWriter>().RecordIfOpenAsync(s.Id, new VerdictRecord(verdict, similarity, Verdicts.FromReply, Reply: reply), CancellationToken.None);
        }
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(1), $"{page.Url} scrolls sideways at {width} px");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task List_FilterByModeThenNextPage(int width)
    {
        var start = new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 120; i++)
            await AddAsync(SuggestionAgentPagesTests.Sample($"p{i:000}", at: start.AddMinutes(i), mode: i % 2 == 0 ? "Live" : "Shadow", ticket: $"{1000 + i}"));
        var page = await _browser.SignInAsync(BaseUrl, "alex", Password, width);
        await page.GotoAsync("/console/suggestions");

        // The select submits the filter on change (console.js); the Filter button does the same without script.
        await page.SelectOptionAsync("#filter-mode", "live");
        await page.WaitForURLAsync(url => url.Contains("mode=live", StringComparison.Ordinal));
        var rows = page.Locator("#suggestions-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        Assert.That(await rows.First.GetAttributeAsync("data-suggestion-id"), Is.EqualTo("p118"));
        await AssertNoSidewaysScrollAsync(page, width);
        await Browser.ScreenshotAsync(page, $"agent-suggestions-live-{width}");

        await page.ClickAsync("#page-next");
        await page.WaitForURLAsync(url => url.Contains("cursor=", StringComparison.Ordinal));
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        Assert.That(await rows.First.GetAttributeAsync("data-suggestion-id"), Is.EqualTo("p018"));
        Assert.That(new Uri(page.Url).Query, Does.Contain("mode=live"), "the filter stays on the next page");
        await Assertions.Expect(page.Locator("#page-next")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, $"agent-suggestions-live-page2-{width}");

        await page.ClickAsync("#page-previous");
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-suggestion-id", "p118");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Detail_DiffAndSources_VerdictFormSubmitted(int width)
    {
        await AddAsync(SuggestionAgentPagesTests.Sample("s1"), SuggestionAgentPagesTests.Reply);
        var page = await _browser.SignInAsync(BaseUrl, "alex", Password, width);

        await page.GotoAsync("/console/suggestions/s1");

        await Assertions.Expect(page.Locator("#reply-diff del")).ToHaveTextAsync("[removed: 5]");
        await Assertions.Expect(page.Locator("#reply-diff ins").First).ToHaveTextAsync("[added: 7]");
        var decoration = await page.Locator("#reply-diff del").EvaluateAsync<string>("e => getComputedStyle(e).textDecorationLine");
        Assert.That(decoration, Does.Contain("line-through"), "a deletion is struck through, not only coloured");
        await Assertions.Expect(page.Locator("#sources a")).ToHaveAttributeAsync("href", "https://help.example.com/refunds");
        await AssertNoSidewaysScrollAsync(page, width);
        await Browser.ScreenshotAsync(page, $"agent-suggestion-detail-{width}");

        await page.GetByLabel("Used with edits").CheckAsync();
        await page.FillAsync("#verdict-reason-input", "changed the number of days");
        await page.ClickAsync("#verdict-submit");

        await Assertions.Expect(page.Locator("#saved-message")).ToContainTextAsync("verdict is recorded");
        await Assertions.Expect(page.Locator("#verdict")).ToHaveTextAsync("edited");
        await Assertions.Expect(page.Locator("#verdict-reason")).ToHaveTextAsync("Reason: changed the number of days");
        var stored = (await _host.Service<SuggestionStore>().GetAsync("s1", CancellationToken.None))!;
        Assert.That((stored.Verdict, stored.VerdictSource), Is.EqualTo(((string?)Verdicts.Edited, (string?)Verdicts.FromFeedback)));
        await Browser.ScreenshotAsync(page, $"agent-suggestion-verdict-saved-{width}");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task FeedbackLinkPage_ShowsTheDraft_ButtonRecords_SecondUseSaysAlreadyUsed(int width)
    {
        await AddAsync(SuggestionAgentPagesTests.Sample("f1"));
        var token = _host.Service<FeedbackLinks>().Token("f1", FeedbackLinks.Accept, TimeProvider.System.GetUtcNow().AddDays(1));
        var page = await _browser.NewPageAsync(BaseUrl, width);

        await page.GotoAsync($"/feedback/{token}");

        await Assertions.Expect(page.Locator("#draft")).ToContainTextAsync("Refunds reach your card");
        var background = await page.Locator("header.top").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.That(background, Is.EqualTo("rgb(15, 39, 64)"), "styled by the console's stylesheet");
        await AssertNoSidewaysScrollAsync(page, width);
        await Browser.ScreenshotAsync(page, $"feedback-link-{width}");

        await page.ClickAsync("#feedback-submit");
        await Assertions.Expect(page.Locator("#feedback-outcome")).ToHaveTextAsync("Thanks — recorded that you used this draft as is.");
        await Browser.ScreenshotAsync(page, $"feedback-link-recorded-{width}");

        await page.GotoAsync($"/feedback/{token}");
        await Assertions.Expect(page.Locator("#feedback-outcome")).ToContainTextAsync("This link was already used");
        await Browser.ScreenshotAsync(page, $"feedback-link-used-{width}");
    }
}
