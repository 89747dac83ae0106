using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.History;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The verified-resolution page in a real browser (Debian's Chromium): a manager reaches it from the reports page, reads
/// verified resolution next to acceptance, at desktop and phone width, with no request leaving the sidecar.
/// Screenshots: artifacts/screenshots/resolution-1280.png and resolution-390.png next to the test binaries.
/// </summary>
[NonParallelizable]
public sealed class ResolutionPageBrowserTests
{
    private const string Password = "correct horse battery staple";

    private SidecarScenario? _scenario;
    private Browser _browser = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create().WithUser("mia", Role.Manager, Password).StartAsync();
        await SeedAsync(_scenario.Host);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_scenario is not null)
            await _scenario.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    /// <summary>Four drafted tickets, weeks ago by the real clock: two verified, one reopened, one recontacted; one more not solved.</summary>
    private static async Task SeedAsync(SidecarTestHost host)
    {
        var now = TimeProvider.System.GetUtcNow();
        var store = host.Service<TicketOutcomeStore>();
        var suggestions = host.Service<SuggestionStore>();
        var rows = new[]
        {
            ("901", "refund", 30, "solved"), ("902", "refund", 23, "solved"), ("903", "shipping", 16, "reopened"),
            ("904", "shipping", 16, "recontacted"), ("905", "login", 2, "open"),
        };
        foreach (var (ticket, intent, daysAgo, outcome) in rows)
        {
            var at = now.AddDays(-daysAgo);
            var id = Guid.CreateVersion7(at).ToString("N");
            await suggestions.InsertAsync(new Suggestion
            {
                Id = id, Provider = "zendesk", TicketId = ticket, TriggerKey = "c1", CreatedAt = at, Kind = SuggestionKind.Draft, Mode = "Shadow",
                Draft = "draft", Note = "note", Status = SuggestionStatus.Shadow,
                Trace = new SuggestionTrace
                {
                    Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1),
                    Understanding = new TicketUnderstanding { Redactor = "test", Intent = new LabelScore(intent, 0.9) },
                },
            }, CancellationToken.None);
            await store.RecordRunAsync("zendesk", ticket, "r-" + ticket, intent, "question", id, at, CancellationToken.None);
            if (outcome == "open")
                continue;
            await store.MarkSolvedAsync("zendesk", ticket, at.AddHours(1), CancellationToken.None);
            if (outcome == "reopened")
                await store.MarkReopenedAsync("zendesk", ticket, at.AddDays(2), at.AddDays(2) - TimeSpan.FromDays(7), CancellationToken.None);
            if (outcome == "recontacted")
                await store.MarkRecontactedAsync("zendesk", ticket, "999", at.AddDays(3), CancellationToken.None);
        }
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Manager_OpensVerifiedResolutionFromReports_ReadsItNextToAcceptance_NoSidewaysScroll(int width)
    {
        var baseUrl = _scenario!.Host.Client.BaseAddress!.ToString().TrimEnd('/');
        var page = await _browser.SignInAsync(baseUrl, "mia", Password, width);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(baseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                foreign.Add(request.Url);
        };

        await page.GotoAsync("/console/reports");
        await page.FocusAsync("#link-resolution");
        await page.Keyboard.PressAsync("Enter");
        // A generous wait: on a loaded 2-core machine the first render of a page can take longer than the default 15 s.
        await page.WaitForURLAsync(url => url.EndsWith("/console/resolution", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 60_000 });

        var total = await page.InnerTextAsync("#resolution-total");
        Assert.That(total, Does.StartWith("5 drafted tickets: verified resolution 50% (2 verified, 1 reopened, 1 recontacted, 0 pending, 1 not solved)"));
        Assert.That(await page.Locator("svg.chart").CountAsync(), Is.EqualTo(4), "week, intent, agent, brand");
        Assert.That(await page.TextContentAsync("#resolution-chart-intent-desc"), Does.Contain("refund: 100%").And.Contain("shipping: 0%"));
        Assert.That(await page.GetAttributeAsync("#resolution-csv-intent", "href"), Is.EqualTo("/api/reports/resolution?format=csv&by=intent"));
        await page.FocusAsync("#resolution-chart-intent >> xpath=..");
        Assert.That(await page.EvaluateAsync<string>("document.activeElement.className"), Is.EqualTo("chart-frame"), "a chart can be reached from the keyboard");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(1), $"the page scrolls sideways at {width} px");
        await Browser.ScreenshotAsync(page, $"resolution-{width}");
        Assert.That(foreign, Is.Empty, "the console makes no request outside the sidecar");

        var refused = await page.GotoAsync("/console/resolution?from=2026-02-30");
        Assert.That(refused!.Status, Is.EqualTo(400));
        Assert.That(await page.InnerTextAsync("#resolution-range-error"), Does.Contain("'from'"));
    }
}
