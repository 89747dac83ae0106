using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// Playwright driving Debian's <c>chromium</c> package (never a downloaded browser). <c>.ci/run</c> installs it;
/// outside CI a machine without it skips the browser tests with that reason.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    /// <summary>Where screenshots are kept; each is also attached to the test result.</summary>
    public static string ArtifactsDir { get; } = Path.Combine(TestContext.CurrentContext.WorkDirectory, "artifacts", "screenshots");

    public static async Task<Browser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("SIDECAR_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : Candidates.FirstOrDefault(File.Exists);
        if (executable is null || !File.Exists(executable))
        {
            const string reason = "Chromium is not installed (apt-get install chromium; .ci/run does this)";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail(reason);
            }

            Assert.Ignore(reason);
        }

        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Root in CI containers: Chromium refuses to start sandboxed as root.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return new Browser(playwright, chromium);
    }

    /// <summary>A fresh context (own cookies) at the given width; downloads allowed.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, int width = 1280, int height = 900)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>A fresh page signed in to the console through the login form, as a person would.</summary>
    public async Task<IPage> SignInAsync(string baseUrl, string name, string password, int width = 1280)
    {
        var page = await NewPageAsync(baseUrl, width);
        await page.GotoAsync("/console/login");
        await page.FillAsync("#username", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => !url.Contains("/console/login", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Saves a full-page screenshot as an artifact of the test and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsDir);
        var path = Path.Combine(ArtifactsDir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
