using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The reports page and the overview tiles in Chromium, at desktop width and on a 390 px phone, over twelve weeks of
/// drafts stored through the real stores (dated from the real clock, as the browser's cookies are). Every chart must
/// fit the screen, keep its labels inside the chart without overlapping, and be reachable with the Tab key.
/// Screenshots: artifacts/screenshots/manager-reports-*.png and manager-overview-*.png.
/// </summary>
[NonParallelizable]
public sealed class ReportsBrowserTests
{
    private const string Password = "correct horse battery staple";
    private const long Priya = 7001, LongName = 7002;

    private SidecarScenario? _scenario;
    private Browser _browser = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create().WithZendesk().WithUser("mia", Role.Manager, Password).StartAsync();
        _scenario.Zendesk.OtherUsers[Priya] = ("Priya Nair", "agent");
        _scenario.Zendesk.OtherUsers[LongName] = ("Maximiliana Alexandrovna Konstantinopoulou-Vanderbilt of Lower Saxony", "agent");
        _scenario.Zendesk.Brands[360001] = "Parcelly";

        var now = TimeProvider.System.GetUtcNow();
        // Ten older weeks with one draft each, so the trend has a dozen points to fit on a phone.
        for (var week = 2; week <= 11; week++)
            await DraftAsync($"old-{week}", now.AddDays(-7 * week), week % 3 == 0 ? Verdicts.Rejected : Verdicts.SentAsIs, inserted: week % 2 == 0, cost: 0.001m * week,
                agent: week == 5 ? LongName : Priya);
        // The 7 days before the last 7: two drafts, one accepted. The last 7 days: four drafts, three accepted, two inserted, and a gap.
        await DraftAsync("prev-1", now.AddDays(-8), Verdicts.SentAsIs, inserted: true, cost: 0.002m);
        await DraftAsync("prev-2", now.AddDays(-8), Verdicts.Rejected, cost: 0.002m);
        await DraftAsync("last-1", now.AddMinutes(-50), Verdicts.Edited, inserted: true, cost: 0.004m);
        await DraftAsync("last-2", now.AddMinutes(-40), Verdicts.SentAsIs, inserted: true, cost: 0.004m);
        await DraftAsync("last-3", now.AddMinutes(-30), Verdicts.SentAsIs, cost: 0.004m);
        await DraftAsync("last-4", now.AddMinutes(-20), null);
        await AddAsync("gap-1", now.AddMinutes(-10), SuggestionKind.KnowledgeGap, 0);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_scenario is not null)
            await _scenario.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    private SidecarTestHost Host => _scenario!.Host;

    private string BaseUrl => Host.Client.BaseAddress!.ToString().TrimEnd('/');

    private async Task DraftAsync(string ticket, DateTimeOffset at, string? verdict, bool inserted = false, decimal cost = 0, long agent = Priya)
    {
        var id = await AddAsync(ticket, at, SuggestionKind.Draft, cost);
        if (inserted)
            await Host.Service<InsertionStore>().RecordAsync(id, "zendesk", CancellationToken.None);
        if (verdict is not null)
            await Host.Service<IVerdictWriter>().RecordIfOpenAsync(id, new VerdictRecord(verdict, 0.9, "reply", ReplyAuthorId: agent.ToString()), CancellationToken.None);
    }

    private async Task<string> AddAsync(string ticket, DateTimeOffset at, SuggestionKind kind, decimal cost)
    {
        var id = Guid.CreateVersion7(at).ToString("N");
        await Host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = ticket, TriggerKey = "c1", CreatedAt = at, Kind = kind, Mode = "Shadow",
            Draft = kind == SuggestionKind.Draft ? "Refunds take 5 days." : null, Note = "note", Status = SuggestionStatus.Shadow, BrandId = "360001",
            Question = kind == SuggestionKind.KnowledgeGap ? "Do you ship to Madeira?" : null,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 120),
                Model = cost == 0 ? null : new ModelTrace("openai", "gpt-4o-mini", "draft-v1", 1, 1200, 300, cost, 900, null),
                Understanding = new HelpdeskSidecar.Copilot.TicketUnderstanding { Redactor = "test", Intent = new HelpdeskSidecar.Copilot.LabelScore("refund", 0.9) },
            },
        }, CancellationToken.None);
        return id;
    }

    /// <summary>Text of every chart whose box leaves the chart's viewBox, or overlaps another text of the same chart.</summary>
    private const string ChartTextProblems = """
        () => {
          const problems = [];
          for (const svg of document.querySelectorAll('svg.chart')) {
            const vb = svg.viewBox.baseVal;
            const boxes = [...svg.querySelectorAll('text')].map(t => ({ t: t.textContent, b: t.getBBox() }));
            for (const { t, b } of boxes)
              if (b.x < -0.5 || b.x + b.width > vb.width + 0.5 || b.y < -0.5 || b.y + b.height > vb.height + 0.5)
                problems.push(`${svg.id}: '${t}' outside the chart`);
            for (let i = 0; i < boxes.length; i++)
              for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i].b, c = boxes[j].b;
                if (a.x < c.x + c.width - 0.5 && c.x < a.x + a.width - 0.5 && a.y < c.y + c.height - 0.5 && c.y < a.y + a.height - 0.5)
                  problems.push(`${svg.id}: '${boxes[i].t}' overlaps '${boxes[j].t}'`);
              }
          }
          return problems;
        }
        """;

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Reports_TrendsNamesAndTables_FitTheScreen_LabelsDoNotOverlap(int width)
    {
        var page = await _browser.SignInAsync(BaseUrl, "mia", Password, width);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(BaseUrl, StringComparison.Ordinal))
                foreign.Add(request.Url);
        };

        var response = await page.GotoAsync("/console/reports");

        Assert.That(response!.Status, Is.EqualTo(200));
        await Assertions.Expect(page.Locator("#chart-week")).ToBeVisibleAsync();
        Assert.That(await page.Locator("#chart-week circle").CountAsync(), Is.InRange(11, 12), "a point per week with drafts: this week, ten older ones, and the week 8 days ago (which may be one of them)");
        await Assertions.Expect(page.Locator("#table-agent")).ToContainTextAsync("Priya Nair");
        await Assertions.Expect(page.Locator("#table-agent")).ToContainTextAsync("Konstantinopoulou-Vanderbilt of Lower Saxony");
        await Assertions.Expect(page.Locator("#table-brand")).ToContainTextAsync("Parcelly");
        await Assertions.Expect(page.Locator("#table-week")).ToContainTextAsync("Total");
        Assert.That(await page.Locator("#chart-cost rect.bar").CountAsync(), Is.GreaterThanOrEqualTo(11), "a column per week with model cost");
        Assert.That(await page.Locator("#chart-gaps-week rect.bar").CountAsync(), Is.EqualTo(1), "the one gap, in this week");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        var charts = await page.EvaluateAsync<double[]>("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().right)");
        var problems = await page.EvaluateAsync<string[]>(ChartTextProblems);
        await Browser.ScreenshotAsync(page, $"manager-reports-{width}");
        foreach (var section in new[] { "week", "agent", "gaps", "usage" })
            await page.Locator($"#report-{section}").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Browser.ArtifactsDir, $"manager-reports-{section}-{width}.png") });
        Assert.That(overflow, Is.LessThanOrEqualTo(0), $"the page scrolls sideways at {width} px");
        Assert.That(charts, Has.Length.GreaterThanOrEqualTo(8).And.All.LessThanOrEqualTo(width), "every chart ends inside the screen");
        Assert.That(problems, Is.Empty);
        Assert.That(foreign, Is.Empty, "no request outside the sidecar");

        // Keyboard: from the Show button, Tab reaches the weekly chart, which says what it is.
        await page.FocusAsync("#range-apply");
        var reached = false;
        for (var i = 0; i < 20 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string>("document.activeElement.id") == "chart-week";
        }
        Assert.That(reached, Is.True, "the weekly chart takes the focus from the keyboard");
        Assert.That(await page.Locator("#chart-week > title").TextContentAsync(), Is.EqualTo("Acceptance by week"));
        Assert.That(await page.Locator("#chart-week > desc").TextContentAsync(), Does.Contain("%"));
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Overview_TilesSayTheChangeSinceTheWeekBefore_InWords(int width)
    {
        var page = await _browser.SignInAsync(BaseUrl, "mia", Password, width);

        await page.GotoAsync("/console");

        await Assertions.Expect(page.Locator("#tile-drafts .value")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#tile-drafts-change")).ToHaveTextAsync("↑ 2 more drafts than the 7 days before (2)");
        await Assertions.Expect(page.Locator("#tile-acceptance .value")).ToHaveTextAsync("100%");
        await Assertions.Expect(page.Locator("#tile-acceptance-change")).ToHaveTextAsync("↑ 50 points (up from 50%)");
        await Assertions.Expect(page.Locator("#tile-insertion-change")).ToHaveTextAsync("→ same as the 7 days before (50%)");
        await Assertions.Expect(page.Locator("#tile-gaps-change")).ToHaveTextAsync("↑ 1 more gap than the 7 days before (0)");
        await Assertions.Expect(page.Locator("#tile-cost-change")).ToHaveTextAsync("↑ $0.008 more than the 7 days before ($0.004)");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        await Browser.ScreenshotAsync(page, $"manager-overview-{width}");
        Assert.That(overflow, Is.LessThanOrEqualTo(0), $"the overview scrolls sideways at {width} px");
    }
}
