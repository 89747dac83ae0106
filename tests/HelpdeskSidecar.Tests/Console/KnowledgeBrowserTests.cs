using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The knowledge pages in a real browser (Debian's Chromium through Playwright) as an ops lead: browse and search the
/// articles, order them by citations, open one, and try a question from there; screenshots at desktop and 390 px.
/// </summary>
[NonParallelizable]
public sealed class KnowledgeBrowserTests
{
    private const string Password = "correct horse battery staple";

    private SidecarScenario? _scenario;
    private Browser _browser = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create().WithKnowledge(Samples.PathOf("knowledge")).WithUser("oscar", Role.OpsLead, Password).StartAsync();
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

    private string BaseUrl => _scenario!.Host.BaseAddress.ToString().TrimEnd('/');

    /// <summary>A draft whose note cited "Track a parcel", which the agent sent as is.</summary>
    private async Task CitedDraftAsync()
    {
        var host = _scenario!.Host;
        var article = (await host.Service<ArticleCatalog>().ListAsync(new ArticleQuery("Track a parcel"), CancellationToken.None)).Items.Single(a => a.Title == "Track a parcel");
        var id = Guid.NewGuid().ToString("N");
        await host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = "9301", TriggerKey = "c1", CreatedAt = TimeProvider.System.GetUtcNow(), Kind = SuggestionKind.Draft,
            Mode = "Shadow", Draft = "Open Deliveries in the app [1].", Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 3),
                Sources = [new TraceSource(1, article.Id, article.Title, article.Url, "Track a parcel › Where to track", 0.9, ["track"])],
            },
        }, CancellationToken.None);
        await host.Service<IVerdictWriter>().RecordFeedbackAsync(id, new VerdictRecord(Verdicts.SentAsIs, 1, Verdicts.FromFeedback), CancellationToken.None);
    }

    private static async Task AssertFitsAsync(IPage page, int width, string what)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(1), $"{what} scrolls sideways at {width} px");
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id || e.name)
            """);
        Assert.That(unlabelled, Is.Empty, $"inputs without a label on {what}");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task OpsLead_BrowsesOpensAnArticleAndTriesAQuestion(int width)
    {
        await CitedDraftAsync();
        var page = await _browser.SignInAsync(BaseUrl, "oscar", Password, width);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(BaseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                foreign.Add(request.Url);
        };

        // Knowledge → Articles → search "parcel", from the keyboard.
        await page.GotoAsync("/console/knowledge");
        await page.ClickAsync("#knowledge-nav-articles");
        await page.FillAsync("#article-q", "parcel");
        await page.PressAsync("#article-q", "Enter");
        await page.WaitForURLAsync("**/console/knowledge/articles?q=parcel*");
        Assert.That(await page.Locator("#articles-table .article-link").AllTextContentsAsync(), Does.Contain("Track a parcel"));
        await AssertFitsAsync(page, width, "the article list");
        await Browser.ScreenshotAsync(page, $"knowledge-articles-{width}");

        // Most cited first: the cited article leads, with its one accepted draft.
        await page.ClickAsync("#sort-cited");
        await page.WaitForURLAsync("**sort=cited*");
        var top = page.Locator("#articles-table tbody tr").First;
        await Assertions.Expect(top.Locator(".article-link")).ToHaveTextAsync("Track a parcel");
        await Assertions.Expect(top.Locator(".cited")).ToHaveTextAsync("1");
        await Assertions.Expect(top.Locator(".accepted")).ToHaveTextAsync("1");

        await top.Locator(".article-link").ClickAsync();
        await Assertions.Expect(page.Locator("#article-title")).ToHaveTextAsync("Track a parcel");
        await Assertions.Expect(page.Locator("#article-accepted")).ToHaveTextAsync("1");
        Assert.That(await page.Locator("#article-chunk-list li.chunk").CountAsync(), Is.GreaterThan(1));
        await Assertions.Expect(page.Locator("#citing-drafts tbody tr")).ToHaveCountAsync(1);
        await AssertFitsAsync(page, width, "the article page");
        await Browser.ScreenshotAsync(page, $"knowledge-article-{width}");

        // Try a question from the article page.
        await page.ClickAsync("#try-from-article");
        await page.FillAsync("#try-question", "Where can I follow my parcel? It has a tracking number.");
        await page.SelectOptionAsync("#try-visibility", "agents");
        await page.ClickAsync("#try-submit");
        var first = page.Locator("#try-hits tbody tr").First;
        await Assertions.Expect(first.Locator(".try-hit-link")).ToHaveTextAsync("Track a parcel");
        await Assertions.Expect(page.Locator("#try-filters")).ToContainTextAsync("Visibility: agents (set here, not by the policy)");
        await AssertFitsAsync(page, width, "try a question");
        await Browser.ScreenshotAsync(page, $"knowledge-try-{width}");

        // The hit links to its passage on the article page.
        await first.Locator(".try-hit-link").ClickAsync();
        await Assertions.Expect(page.Locator("#article-title")).ToHaveTextAsync("Track a parcel");
        Assert.That(new Uri(page.Url).Fragment, Does.StartWith("#chunk-"));
        Assert.That(await page.Locator(new Uri(page.Url).Fragment).CountAsync(), Is.EqualTo(1), "the anchor names a chunk on the page");
        Assert.That(foreign, Is.Empty, "the console makes no request outside the sidecar");
    }
}
