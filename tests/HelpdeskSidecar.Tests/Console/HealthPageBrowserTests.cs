using Hangfire;
using Hangfire.States;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Helpdesks.Http;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The ops health page in Chromium against the real sidecar in Live mode on a loopback Zendesk: with a failed job, a
/// note given up and rate-limit waits to show, it fits a desktop and a 390 px phone, and its Retry button, pressed
/// from the keyboard, writes the note once. Screenshots: health-1280, health-390, health-retried-1280.
/// </summary>
[NonParallelizable]
public sealed class HealthPageBrowserTests
{
    private const string Password = "correct horse battery staple";
    private const string SuggestionId = "0198c0de-5301-7abc-9def-0123456789ab";

    private SidecarScenario? _scenario;
    private Browser _browser = null!;
    private FakeTicket _ticket = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().WithUser("oscar", Role.OpsLead, Password).StartAsync();
        var host = _scenario.Host;
        _ticket = _scenario.Zendesk.AddTicket(5301, "Refund", "When will my refund arrive on my card?");
        var store = host.Service<SuggestionStore>();
        await store.InsertAsync(GivenUp(SuggestionId, 5301), CancellationToken.None);
        await store.MarkWriteFailedAsync(SuggestionId, "Gave up after 6 attempts: zendesk answered 500 to the note on ticket 5301.", CancellationToken.None);
        var waits = host.Service<RateLimitWaits>();
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(30));
        waits.Record("zendesk", RateLimitWaits.ClientSource, TimeSpan.FromSeconds(2));
        var jobs = host.Service<IBackgroundJobClient>();
        var jobId = jobs.Create<TicketPipelineJob>(j => j.RunAsync("zendesk", "5302", "ev-5302", null, CancellationToken.None), new ScheduledState(TimeSpan.FromHours(1)));
        using (var connection = host.Service<JobStorage>().GetConnection())
            connection.SetJobParameter(jobId, JobRetry.RetryCountParameter, "5");
        jobs.ChangeState(jobId, new FailedState(new InvalidOperationException("The helpdesk returned a body we cannot read.")));
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

    [TestCase(1280)]
    [TestCase(390)]
    public async Task HealthPage_WithProblems_FitsTheWidth_AndMakesNoOutsideRequest(int width)
    {
        var baseUrl = BaseUrl;
        var page = await _browser.SignInAsync(baseUrl, "oscar", Password, width);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(baseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                foreign.Add(request.Url);
        };

        var response = await page.GotoAsync("/console/health");

        Assert.That(response!.Status, Is.EqualTo(200));
        Assert.That(await page.TextContentAsync("#health-summary"), Does.Contain("1 job has failed").And.Contain("1 note was given up"));
        Assert.That(await page.TextContentAsync("#failed-jobs"), Does.Contain("zendesk 5302").And.Contain("InvalidOperationException"));
        Assert.That(await page.TextContentAsync("#given-up"), Does.Contain("zendesk 5301").And.Contain("answered 500"));
        Assert.That(await page.Locator("#rate-limit-waits tbody tr").CountAsync(), Is.EqualTo(2));
        Assert.That(await page.GetAttributeAsync("#nav-health", "aria-current"), Is.EqualTo("page"));
        Assert.That(await page.GetAttributeAsync("#failed-jobs tbody a", "href"), Does.StartWith("/hangfire/jobs/details/"));
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        // Nor does any panel (they scroll inside themselves rather than widen the page): every table fits.
        var scrolling = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('.panel')].filter(p => p.scrollWidth - p.clientWidth > 1).map(p => p.getAttribute('aria-labelledby'))");
        await Browser.ScreenshotAsync(page, $"health-{width}");
        Assert.That(overflow, Is.LessThanOrEqualTo(1), $"the health page scrolls sideways at {width} px");
        Assert.That(scrolling, Is.Empty, $"panels that scroll sideways at {width} px");
        Assert.That(foreign, Is.Empty, "the page makes no request outside the sidecar");
    }

    [Test]
    public async Task RetryButton_PressedFromTheKeyboard_WritesTheNoteOnce()
    {
        var page = await _browser.SignInAsync(BaseUrl, "oscar", Password);
        await page.GotoAsync("/console/health");

        await page.FocusAsync($"#retry-{SuggestionId} button");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("retried=queued", StringComparison.Ordinal));

        Assert.That(await page.TextContentAsync("#retry-message"), Does.Contain("Queued again"));
        var marker = NoteMarker.For(SuggestionId);
        await Eventually.GetAsync(() => Task.FromResult(_ticket.Comments.Count(c => c.Body.Contains(marker, StringComparison.Ordinal))), n => n >= 1,
            TimeSpan.FromSeconds(30), "the note after Retry");
        await HangfireJobs.QuietAsync(_scenario!.Host);
        Assert.That(_ticket.Comments.Count(c => c.Body.Contains(marker, StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(_scenario.Zendesk.Puts(5301), Has.Count.EqualTo(1));

        await page.ReloadAsync();
        Assert.That(await page.Locator("#given-up-none").IsVisibleAsync(), Is.True, "nothing given up any more");
        await Browser.ScreenshotAsync(page, "health-retried-1280");
    }

    private string BaseUrl => _scenario!.Host.Client.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>A note the write-back gave up on (stored as failed; the caller records the reason); the marker ends the note, as the formatter puts it.</summary>
    internal static Suggestion GivenUp(string id, long ticketId) => new()
    {
        Id = id, Provider = "zendesk", TicketId = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture), TriggerKey = "c1",
        CreatedAt = TimeProvider.System.GetUtcNow(), Kind = SuggestionKind.Draft, Mode = "Live", Draft = "draft",
        Note = "Here is the draft reply.\n" + NoteMarker.For(id), Status = SuggestionStatus.WriteFailed,
        Trace = new SuggestionTrace { Drafter = "offline-extractive", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 3) },
    };
}
