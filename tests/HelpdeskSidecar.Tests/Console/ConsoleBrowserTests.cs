using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Playwright;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The console in a real browser (Debian's Chromium through Playwright) against the real sidecar in Live mode on a
/// loopback Zendesk: people sign in with the roles they have, and what they do in the page reaches the helpdesk.
/// Every page is also kept as a screenshot at desktop and phone width (artifacts/screenshots next to the test binaries).
/// </summary>
[NonParallelizable]
public sealed class ConsoleBrowserTests
{
    private const string Password = "correct horse battery staple";

    private SidecarScenario? _scenario;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;
    private Browser _browser = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _browser = await Browser.LaunchAsync();
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .WithKnowledge(Samples.PathOf("knowledge"))
            .WithHistory(IntentClassifierTests.History())
            .WithUser("mia", Role.Manager, Password)
            .WithUser("oscar", Role.OpsLead, Password)
            .WithUser("ada", Role.Admin, Password)
            .StartAsync();
        (_zendesk, _host) = (_scenario.Zendesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync()
    {
        // SetUp may have stopped early (Chromium missing: the test is skipped), leaving these unset.
        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
            _scenario = null;
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    [Test]
    public async Task AnonymousVisitor_IsSentToSignIn_WhichWorksFromTheKeyboard()
    {
        var page = await _browser.NewPageAsync(BaseUrl);

        await page.GotoAsync("/console/reports");

        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/console/login"));
        using (var api = await _host.AnonymousClient.GetAsync("/api/suggestions"))
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // Name, password and the button in tab order, each with its label; Enter signs in.
        await page.FocusAsync("#username");
        await page.Keyboard.TypeAsync("mia");
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("password"));
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("sign-in"));
        Assert.That(await page.GetByLabel("Password").CountAsync(), Is.EqualTo(1));
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/console/reports");
        await Browser.ScreenshotAsync(page, "reports-after-sign-in");
    }

    [Test]
    public async Task WrongPassword_StaysOnSignIn_WithAMessage()
    {
        var page = await _browser.NewPageAsync(BaseUrl);
        await page.GotoAsync("/console/login");

        await page.FillAsync("#username", "mia");
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#sign-in");

        await Assertions.Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/console/login"));
    }

    [Test]
    public async Task Manager_SeesTheAcceptanceChart_AndDownloadsTheCsv()
    {
        await SuggestionWithVerdictAsync();
        var page = await SignInAsync("mia");

        await page.GotoAsync("/console/reports");

        var chart = page.Locator("svg").First;
        await Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.That(await page.Locator("svg title").CountAsync(), Is.GreaterThan(0), "charts carry a title for screen readers");
        await Browser.ScreenshotAsync(page, "reports-manager");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[href*='format=csv']").First.ClickAsync());
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path!);
        Assert.That(lines[0], Does.StartWith("key,suggestions,sent_as_is,edited,rejected,no_reply"));
        Assert.That(lines, Has.Some.StartWith("(total),1,1,0,0,0"), "the one suggestion the agent sent as is");
    }

    [Test]
    public async Task OpsLead_SwitchesATagToAuto_TheNextMatchingTicketIsTaggedThroughZendesk_AndTheChangeIsAudited()
    {
        var page = await SignInAsync("oscar");
        await page.GotoAsync("/console/tagging");

        await page.SelectOptionAsync("#new-scope", "tag");
        await page.FillAsync("#new-name", "refund");
        await page.SelectOptionAsync("#new-mode", "auto");
        await page.FillAsync("#new-threshold", "0.2");
        await page.ClickAsync("#new-save");

        await Assertions.Expect(page.Locator("#saved-message")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tagging-audit")).ToContainTextAsync("oscar");
        await Assertions.Expect(page.Locator("#tagging-audit")).ToContainTextAsync("auto");
        await Browser.ScreenshotAsync(page, "tagging-after-auto");

        var ticket = _zendesk.AddTicket(9302, "Refund timing", "The refund for my returned shoes has not reached my card yet, when will it arrive?");
        await SendAsync("evt-browser-tag", 9302);
        await Eventually.GetAsync(() => Task.FromResult(_zendesk.TagPuts(9302)), p => p.Count >= 1, because: "the tag update through the Zendesk API");
        Assert.That(ticket.Tags, Does.Contain("refund"));
    }

    [Test]
    public async Task SuggestionTrace_OpensFromTheList()
    {
        await NoteWrittenAsync("evt-browser-trace", 9401, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        var page = await SignInAsync("oscar");

        await page.GotoAsync("/console/suggestions");
        await page.Locator("a.suggestion-link").First.ClickAsync();

        await Assertions.Expect(page.Locator("#trace")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#trace-policy")).ToContainTextAsync("rule");
        Assert.That(await page.Locator("#trace-sources tbody tr").CountAsync(), Is.GreaterThan(0), "the sources with their scores");
        Assert.That(await page.Locator("#trace-guardrails li").CountAsync(), Is.GreaterThan(0), "the guardrail results");
        await Assertions.Expect(page.Locator("#note")).ToContainTextAsync("[sidecar-suggestion:");
        await Browser.ScreenshotAsync(page, "suggestion-trace");
    }

    [TestCase(1280)]
    [TestCase(390)]
    public async Task EveryPage_Renders_WithoutExternalRequests_LabelledInputs_AndNoSidewaysScroll(int width)
    {
        await SuggestionWithVerdictAsync();
        var page = await SignInAsync("ada", width);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(BaseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                foreign.Add(request.Url);
        };

        foreach (var (path, name) in Pages)
        {
            var response = await page.GotoAsync(path);
            Assert.That(response!.Status, Is.EqualTo(200), path);

            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                      .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
                      .map(e => e.id || e.name)
                """);
            Assert.That(unlabelled, Is.Empty, $"inputs without a label on {path}");
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.That(overflow, Is.LessThanOrEqualTo(1), $"{path} scrolls sideways at {width} px");
            await Browser.ScreenshotAsync(page, $"{name}-{width}");
        }

        Assert.That(foreign, Is.Empty, "the console makes no request outside the sidecar");
    }

    [Test]
    public async Task SuggestionDetail_LongWordsUrlsAndCode_FitsA390PxPhone()
    {
        var longWord = string.Concat(Enumerable.Repeat("Supercalifragilistic", 8));
        var longUrl = "https://help.example.com/hc/en-us/articles/360001234567-" + string.Concat(Enumerable.Repeat("how-refunds-reach-your-card-", 6));
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = "0198c0de-1234-7abc-9def-0123456789ab", Provider = "zendesk", TicketId = "9301", TriggerKey = "c1", CreatedAt = TimeProvider.System.GetUtcNow(),
            Kind = SuggestionKind.KnowledgeGap, Mode = "Shadow", Draft = null, Status = SuggestionStatus.Shadow,
            Note = $"See {longUrl} and {longWord}.\n    an indented line of code that is far wider than any phone: {longWord}{longWord}",
            Trace = new SuggestionTrace
            {
                Drafter = "offline-extractive", Reason = $"Nothing matched {longWord}.", Confidence = 0.2, TimingsMs = new TraceTimings(5, 10, 20, 40),
                Sources = [new TraceSource(1, 7, longWord, longUrl, $"Refunds > {longWord}", 0.5, [longWord])],
                Understanding = new TicketUnderstanding { Redactor = "test", Intent = new LabelScore(longWord, 0.9) },
                Policy = new PolicyDecision { Rule = longWord, Source = longUrl, Visibility = "public", Actions = ["draft"] },
                Guardrails = [new GuardrailResult(GuardrailNames.Citations, false, longUrl)],
            },
        }, CancellationToken.None);
        var page = await SignInAsync("ada", 390);

        var response = await page.GotoAsync("/console/suggestions/0198c0de-1234-7abc-9def-0123456789ab");

        Assert.That(response!.Status, Is.EqualTo(200));
        var widths = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, window.innerWidth]");
        await Browser.ScreenshotAsync(page, "suggestion-detail-long-390");
        Assert.That(widths[0], Is.LessThanOrEqualTo(widths[1]), "the document is no wider than the 390 px viewport");
        Assert.That(widths[1], Is.EqualTo(390));
    }

    private static readonly (string Path, string Name)[] Pages =
    [
        ("/console", "overview"),
        ("/console/suggestions", "suggestions"),
        ("/console/tagging", "tagging"),
        ("/console/policy", "policy"),
        ("/console/knowledge", "knowledge"),
        ("/console/reports", "reports"),
        ("/console/access", "access"),
    ];

    private string BaseUrl => _host.Client.BaseAddress!.ToString().TrimEnd('/');

    private Task<IPage> SignInAsync(string name, int width = 1280) => _browser.SignInAsync(BaseUrl, name, Password, width);

    /// <summary>One ticket whose note the agent sent word for word, so the reports have something to draw.</summary>
    private async Task SuggestionWithVerdictAsync()
    {
        var (ticket, draft) = await NoteWrittenAsync("evt-browser-1", 9201, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        ticket.AddComment(FakeZendesk.AgentId, draft, isPublic: true);
        await SendAsync("evt-browser-2", 9201, "ticket.comment_added");
        await Eventually.GetAsync(
            async () => await _host.Client.GetStringAsync("/api/suggestions?ticket=9201"),
            body => body.Contains("sent_as_is", StringComparison.Ordinal),
            because: "the agent's reply gives the suggestion its verdict");
    }

    /// <summary>Sends a signed ticket.created and waits until the internal note is written; returns the ticket and the draft.</summary>
    private async Task<(FakeTicket Ticket, string Draft)> NoteWrittenAsync(string eventId, long ticketId, string subject, string message)
    {
        var ticket = _zendesk.AddTicket(ticketId, subject, message);
        await SendAsync(eventId, ticketId);
        var items = await Eventually.GetAsync(
            async () => (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            i => i.Count > 0 && i[^1]!["status"]!.GetValue<string>() == "Written",
            because: $"the note on {ticketId}");
        return (ticket, items[^1]!["draft"]!.GetValue<string>());
    }

    private async Task SendAsync(string eventId, long ticketId, string type = "ticket.created")
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticketId, type)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }
}
