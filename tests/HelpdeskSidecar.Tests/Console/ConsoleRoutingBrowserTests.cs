using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.EndToEnd;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The console's Routing page in Chromium, on a Live sidecar with the routing policy and a loopback Zendesk: an ops
/// lead switches a rule from suggest to auto and the next ticket is routed through Zendesk; a manager reads the rules
/// and precision without the switch. Screenshots at desktop and 390 px.
/// </summary>
[NonParallelizable]
public sealed class ConsoleRoutingBrowserTests
{
    private const string Password = "correct horse battery staple";

    private SidecarScenario? _scenario;
    private Browser _browser = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .WithPolicy(RoutingTests.ZendeskPolicy)
            .WithArticle("refunds.md", "# How refunds work\n\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .WithUser("oscar", Role.OpsLead, Password)
            .WithUser("mia", Role.Manager, Password)
            .StartAsync();
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

    private string BaseUrl => _scenario!.Host.Client.BaseAddress!.ToString().TrimEnd('/');

    [Test]
    public async Task OpsLead_SwitchesARuleToAuto_Audited_NextTicketRoutedThroughZendesk_ManagerReadsOnly()
    {
        var (zendesk, host) = (_scenario!.Zendesk, _scenario.Host);
        // One solved ticket first, so the page has a precision to show.
        var first = zendesk.AddTicket(9401, "Refund timing", RoutingTests.Refund);
        await RoutingTests.SendZendeskAsync(host, "evt-console-route-1", 9401);
        await Eventually.GetAsync(() => Task.FromResult(first.GroupId), g => g == 4242, because: "the automatic route");
        first.Status = "solved";
        await RoutingTests.SendZendeskAsync(host, "evt-console-route-2", 9401, "ticket.status_changed");
        await Eventually.GetAsync(() => host.Client.GetStringAsync("/api/reports/routes"), r => r.Contains("check-card", StringComparison.Ordinal), because: "settled");

        var page = await _browser.SignInAsync(BaseUrl, "oscar", Password, 1280);
        await page.GotoAsync("/console/routing");
        await Assertions.Expect(page.Locator("#routing-row-refunds-to-billing")).ToContainTextAsync("group 4242");
        await Assertions.Expect(page.Locator("#routing-precision-refunds-to-billing")).ToContainTextAsync("(3/3)");
        await Assertions.Expect(page.Locator("#routing-precision-refunds-flag")).ToContainTextAsync("(0/1)");
        await page.SelectOptionAsync("#routing-mode-refunds-flag", "auto");
        await page.ClickAsync("#routing-save-refunds-flag");

        await Assertions.Expect(page.Locator("#saved-message")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#routing-audit")).ToContainTextAsync("oscar");
        await Assertions.Expect(page.Locator("#routing-audit tbody tr")).ToHaveCountAsync(1);
        Assert.That(await page.Locator("#routing-mode-refunds-flag").InputValueAsync(), Is.EqualTo("auto"));
        await Browser.ScreenshotAsync(page, "routing-after-auto");

        var next = zendesk.AddTicket(9402, "Refund timing", RoutingTests.Refund);
        await RoutingTests.SendZendeskAsync(host, "evt-console-route-3", 9402);
        await Eventually.GetAsync(() => Task.FromResult(next.Fields.GetValueOrDefault("360006")), v => v == "check-card", because: "the switched rule applied");

        var narrow = await _browser.SignInAsync(BaseUrl, "mia", Password, 390);
        await narrow.GotoAsync("/console/routing");
        await Assertions.Expect(narrow.Locator("#read-only-note")).ToBeVisibleAsync();
        Assert.That(await narrow.Locator("#routing-rules form").CountAsync(), Is.EqualTo(0), "managers read; ops leads switch");
        await Assertions.Expect(narrow.Locator("#routing-mode-refunds-flag")).ToHaveTextAsync("auto");
        var widths = await narrow.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, window.innerWidth]");
        await Browser.ScreenshotAsync(narrow, "routing-manager-390");
        Assert.That(widths[0], Is.LessThanOrEqualTo(widths[1]), "no sideways scrolling at 390 px");
    }
}
