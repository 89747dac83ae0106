using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Routing;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.HelpdeskApps;

/// <summary>The ticket-sidebar apps show the suggestion's routes (suggested, or applied automatically) in Chromium.</summary>
[NonParallelizable]
public sealed class HelpdeskAppRoutesBrowserTests
{
    private const string Ticket = "1002";

    private Browser _browser = null!;
    private SidecarTestHost? _host;
    private HelpdeskStandIn? _standIn;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _host = await SidecarTestHost.StartAsync();
        _standIn = await HelpdeskStandIn.StartAsync(_host.BaseAddress, await _host.CreateTokenAsync(Role.Agent, "helpdesk-app"), Ticket);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_standIn is not null)
            await _standIn.DisposeAsync();
        if (_host is not null)
            await _host.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    [TestCase("zendesk", "/zendesk/assets/iframe.html", "Live", "applied automatically")]
    [TestCase("freshdesk", "/freshdesk/index.html", "Shadow", "would be applied (shadow)")]
    public async Task Panel_ListsTheRoutes_SuggestedAndAutomatic(string helpdesk, string pagePath, string mode, string autoWords)
    {
        var at = TimeProvider.System.GetUtcNow().AddMinutes(-2);
        await _host!.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = Guid.CreateVersion7(at).ToString("N"), Provider = helpdesk, TicketId = Ticket, TriggerKey = "c1", CreatedAt = at,
            Kind = SuggestionKind.Draft, Mode = mode, Draft = "Refunds reach your card within 5 business days [1].", Note = "note",
            Status = mode == "Live" ? SuggestionStatus.Written : SuggestionStatus.Shadow,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", Confidence = 0.8, TimingsMs = new TraceTimings(1, 1, 1, 1),
                Routing =
                [
                    new RouteDecision("refunds-to-billing", "group", "4242", "auto", "policy", "auto"),
                    new RouteDecision("vip-first", "priority", "urgent", "suggest", "policy", "suggest"),
                ],
            },
        }, CancellationToken.None);
        var page = await _browser.NewPageAsync(_standIn!.BaseAddress.ToString(), width: 360, height: 700);

        await page.GotoAsync(pagePath);

        var routes = page.Locator("[data-role=routes] li");
        await Assertions.Expect(routes).ToHaveTextAsync([
            $"group 4242 — {autoWords} (rule refunds-to-billing)",
            "priority urgent — suggested (rule vip-first)",
        ]);
        Assert.That(await page.Locator("[data-route-action=suggest]").CountAsync(), Is.EqualTo(1));
        await Browser.ScreenshotAsync(page, $"app-routes-{helpdesk}");
    }
}
