using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.Reports.Themes;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// <c>/console/themes</c> in Chromium: a manager sees every theme with its weekly columns and examples, an ops lead the
/// rising theme flagged and no customer text; both fit a 390 px phone. Screenshots kept at desktop and phone width.
/// </summary>
[NonParallelizable]
public sealed class ThemesPageBrowserTests
{
    private const string Password = "correct horse battery staple";

    private Browser? _browser;
    private SidecarTestHost? _host;

    private string BaseUrl => _host!.BaseAddress.ToString().TrimEnd('/');

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _host = await SidecarTestHost.StartAsync(["Sidecar:Themes:Encoder=hashed", "Sidecar:Themes:DistanceThreshold=0.8"],
            b => b.Services.AddSingleton<TimeProvider>(new ManualTimeProvider(ThemeMessages.Now)));
        await ThemeMessages.AddAsync(_host.App.Services);
        await _host.Service<UserStore>().UpsertAsync("mia", Role.Manager, Password, CancellationToken.None);
        await _host.Service<UserStore>().UpsertAsync("oscar", Role.OpsLead, Password, CancellationToken.None);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
    }

    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(1), $"scrolls sideways at {width} px");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task Manager_SeesEveryTheme_WithWeeklyColumns_TheRisingOneFlagged(int width)
    {
        var page = await _browser!.SignInAsync(BaseUrl, "mia", Password, width);
        var response = await page.GotoAsync("/console/themes");
        Assert.That(response!.Status, Is.EqualTo(200));
        Assert.That(await page.Locator("#themes > section.theme").CountAsync(), Is.EqualTo(2));
        Assert.That(await page.Locator("#rising .rising-theme").InnerTextAsync(), Does.Contain("parcel").And.Contain("6 vs. 1/week"));
        Assert.That(await page.Locator("#chart-themes").GetAttributeAsync("role"), Is.EqualTo("img"));
        Assert.That(await page.Locator("section.theme.rising-flag svg g.column.current.rising").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.Locator("#themes ul.examples li").CountAsync(), Is.EqualTo(6), "3 examples per theme");
        Assert.That(await page.Locator("#themes-csv").GetAttributeAsync("href"), Does.Contain("/api/reports/themes?format=csv"));

        // The columns are reachable from the keyboard, each titled with its week and count.
        await page.Locator("section.theme.rising-flag svg g.column.current").FocusAsync();
        Assert.That(await page.EvaluateAsync<string>("document.activeElement.querySelector('title').textContent"), Is.EqualTo("2026-W10: 6"));
        await AssertFitsAsync(page, width);
        await Browser.ScreenshotAsync(page, $"themes-manager-{width}");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task OpsLead_SeesOnlyTheRisingTheme_NoCustomerText(int width)
    {
        var page = await _browser!.SignInAsync(BaseUrl, "oscar", Password, width);
        await page.GotoAsync("/console/themes");
        Assert.That(await page.Locator("#themes > section.theme").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.Locator("#themes > section.theme h3").InnerTextAsync(), Does.Contain("rising"));
        Assert.That(await page.Locator("#themes ul.examples").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("#themes-overview").CountAsync(), Is.Zero);
        Assert.That(await page.ContentAsync(), Does.Not.Contain("Order "), "no customer message reaches an ops lead");
        await AssertFitsAsync(page, width);
        await Browser.ScreenshotAsync(page, $"themes-opslead-{width}");
    }
}
