using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

public sealed class BrowserSmokeTests
{
    [Test]
    public async Task Chromium_from_debian_renders_a_page_served_by_the_sidecar()
    {
        await using var host = await SidecarTestHost.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(host.Client.BaseAddress!.ToString());

        var response = await page.GotoAsync("/healthz");

        Assert.That(response!.Status, Is.EqualTo(200));
        Assert.That(await page.ContentAsync(), Does.Contain("ok"));
    }
}
