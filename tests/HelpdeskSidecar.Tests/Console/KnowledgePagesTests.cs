using System.Net;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;
using HelpdeskSidecar.WebConsole;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>The knowledge console pages over real HTTP as an ops lead: articles, one article, "try a question", bad input.</summary>
public class KnowledgePagesTests
{
    private const string Password = "ops-password";

    private SidecarScenario _scenario = null!;
    private ConsoleSession _session = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithKnowledge(Samples.PathOf("knowledge")).WithUser("ops", Role.OpsLead, Password).StartAsync();
        _session = new ConsoleSession(_scenario.Host.BaseAddress);
        using (await _session.SignInAsync("ops", Password)) { }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _session?.Dispose();
        if (_scenario is not null)
            await _scenario.DisposeAsync();
    }

    [Test]
    public async Task Articles_SearchThenOpen_ShowsChunksWithModelAndTheSourceLink()
    {
        var (response, page) = await _session.GetPageAsync("/console/knowledge/articles?q=tracking+number");
        using (response)
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var titles = page.QuerySelectorAll("#articles-table .article-link").Select(a => a.TextContent).ToList();
        Assert.That(titles, Does.Contain("Track a parcel"));
        Assert.That(page.GetElementById("article-count")!.TextContent, Does.Contain($"{titles.Count} article"));

        var href = page.QuerySelectorAll("#articles-table .article-link").First(a => a.TextContent == "Track a parcel").GetAttribute("href")!;
        var (detailResponse, detail) = await _session.GetPageAsync(href);
        using (detailResponse)
            Assert.That(detailResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(detail.GetElementById("article-title")!.TextContent, Is.EqualTo("Track a parcel"));
        var chunks = detail.QuerySelectorAll("#article-chunk-list li.chunk");
        Assert.That(chunks, Is.Not.Empty);
        Assert.That(chunks[0].QuerySelector(".chunk-model")!.TextContent, Does.Contain("vector: "));
        Assert.That(detail.GetElementById("article-origin")!.TextContent, Does.Contain("Docs"));
        Assert.That(detail.GetElementById("article-cited")!.TextContent, Is.EqualTo("0"));
    }

    [Test]
    public async Task Articles_PagesOf25_NextLinkLeadsToTheRest()
    {
        var index = _scenario.Host.Service<KnowledgeIndex>();
        for (var i = 0; i < 3; i++)
            await index.UpsertAsync(new KnowledgeArticle("files", $"filler-{i}.md", $"Filler {i}", null, [new ArticleSection($"Filler {i}", "Opening hours of the office.")]), CancellationToken.None);
        var total = (await index.CountAsync(CancellationToken.None)).Articles;
        Assert.That(total, Is.GreaterThan(KnowledgeBrowsePage.PageSize), "more than a page");

        var (first, page1) = await _session.GetPageAsync("/console/knowledge/articles");
        first.Dispose();
        var next = page1.GetElementById("next-page")!.GetAttribute("href")!;
        var (second, page2) = await _session.GetPageAsync(next);
        second.Dispose();

        var one = page1.QuerySelectorAll("#articles-table tbody tr").Select(r => r.GetAttribute("data-article-id")).ToList();
        var two = page2.QuerySelectorAll("#articles-table tbody tr").Select(r => r.GetAttribute("data-article-id")).ToList();
        Assert.That(one, Has.Count.EqualTo(KnowledgeBrowsePage.PageSize));
        Assert.That(one.Count + two.Count, Is.EqualTo(total));
        Assert.That(one.Intersect(two), Is.Empty);
        Assert.That(page2.GetElementById("first-page"), Is.Not.Null);
    }

    [Test]
    public async Task TryAQuestion_ShowsTheHitsRanksAndFilters_WithTheQuestionRedacted()
    {
        using var response = await _session.SubmitAsync("/console/knowledge/try", "#try-form",
            new Dictionary<string, string> { ["question"] = "How can I track my parcel? I am jane.doe@example.com" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Not.Contain("jane.doe@example.com"), "the page shows the redacted question only");
        var page = await ConsoleSession.ParseAsync(response);
        Assert.That(page.GetElementById("try-redacted")!.TextContent, Does.Contain("[EMAIL_1]"));
        var first = page.QuerySelector("#try-hits tbody tr")!;
        Assert.That(first.QuerySelector(".try-hit-link")!.TextContent, Is.EqualTo("Track a parcel"));
        Assert.That(first.QuerySelector(".try-lexical")!.TextContent, Does.StartWith("#1"));
        Assert.That(page.GetElementById("try-filters")!.TextContent, Does.Contain("Visibility: public (from the policy)").And.Contain("Brand: none given, so unbranded knowledge only"));
        Assert.That(page.GetElementById("try-policy")!.TextContent, Does.Contain("default"));
    }

    [Test]
    public async Task TryAQuestion_AgentsOnlyArticle_ListedAsKeptOutByTheVisibilityFilter()
    {
        await _scenario.Host.Service<KnowledgeIndex>().UpsertAsync(new KnowledgeArticle("files", "vip.md", "VIP parcel tracking", null,
            [new ArticleSection("VIP parcel tracking", "VIP customers track a parcel through their account manager.")]) { Visibility = KnowledgeVisibility.Agents }, CancellationToken.None);

        using var response = await _session.SubmitAsync("/console/knowledge/try", "#try-form",
            new Dictionary<string, string> { ["question"] = "How do VIP customers track a parcel?" });

        var page = await ConsoleSession.ParseAsync(response);
        Assert.That(page.QuerySelectorAll("#try-hits .try-hit-link").Select(a => a.TextContent), Has.None.EqualTo("VIP parcel tracking"));
        var kept = page.QuerySelectorAll("#try-filtered tr.try-filtered").Single(r => r.TextContent.Contains("VIP parcel tracking", StringComparison.Ordinal));
        Assert.That(kept.QuerySelector(".try-why")!.TextContent, Does.Contain("visibility agents: the policy allows public knowledge only"));
    }

    [Test]
    public async Task TryAQuestion_Empty_Is400WithTheReason()
    {
        using var response = await _session.SubmitAsync("/console/knowledge/try", "#try-form", new Dictionary<string, string> { ["question"] = " " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(response);
        Assert.That(page.GetElementById("try-error")!.TextContent, Does.Contain("'question' is empty"));
        Assert.That(page.GetElementById("try-form"), Is.Not.Null, "the form is there to try again");
    }

    [TestCase("/console/knowledge/articles?sort=popularity", HttpStatusCode.BadRequest, "#article-error")]
    [TestCase("/console/knowledge/articles?cursor=garbage", HttpStatusCode.BadRequest, "#article-error")]
    [TestCase("/console/knowledge/articles/abc", HttpStatusCode.BadRequest, "#error-message")]
    [TestCase("/console/knowledge/articles/999999", HttpStatusCode.NotFound, "#error-message")]
    public async Task Articles_BadInput_SaysWhatIsWrong(string path, HttpStatusCode status, string selector)
    {
        var (response, page) = await _session.GetPageAsync(path);
        using (response)
            Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(page.QuerySelector(selector)?.TextContent, Is.Not.Null.And.Not.Empty);
    }
}
