using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Suggestions.Tagging;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>The console's pages over real HTTP with a signed-in session, parsed as HTML; data put in through the real stores.</summary>
public class ConsolePagesTests
{
    private SidecarTestHost _host = null!;
    private SidecarScenario _scenario = null!;
    private TempDirectory _policyDir = null!;
    private string _policyFile = null!;

    private const string ValidPolicy = """
        version: 1
        rules:
          - name: acme-live
            match:
              brand: ["acme"]
            mode: live
        """;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithPolicy(ValidPolicy)
            .With("Sidecar:Policy:ReloadInterval=00:00:00.001")
            .WithUser("manager", Role.Manager, "manager-password")
            .WithUser("ops", Role.OpsLead, "ops-password")
            .StartAsync();
        (_host, _policyDir, _policyFile) = (_scenario.Host, _scenario.Files, _scenario.PolicyPath);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    private async Task<ConsoleSession> SignInAsync(string name)
    {
        var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.SignInAsync(name, name + "-password");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sign-in");
        return session;
    }

    private async Task<Suggestion> AddSuggestionAsync(string id, SuggestionKind kind = SuggestionKind.Draft, string? verdict = null, string intent = "refund",
        string note = "Here is the draft reply.", double total = 40, string? question = null, string? sourceUrl = "https://help.example.com/refunds",
        GuardrailResult? guardrail = null)
    {
        var (s, _) = await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = id.TrimStart('s'), TriggerKey = "c1", CreatedAt = TimeProvider.System.GetUtcNow(),
            Kind = kind, Mode = "Shadow", Draft = "draft", Note = note, Status = SuggestionStatus.Shadow, Question = question,
            Trace = new SuggestionTrace
            {
                Drafter = "offline-extractive", Reason = "Two sources agree.", Confidence = 0.8,
                TimingsMs = new TraceTimings(5, 10, 20, total),
                Sources = [new TraceSource(1, 7, "Refund policy", sourceUrl, "Refunds > Timing", 0.912, ["refund"])],
                Understanding = new TicketUnderstanding { Redactor = "test", Intent = new LabelScore(intent, 0.9) },
                Policy = new PolicyDecision { Rule = "refund-rule", Source = "policy.yaml", Visibility = "public", Actions = ["draft"] },
                Guardrails = [new GuardrailResult(GuardrailNames.Citations, true, "every claim cites a source"), .. guardrail is null ? [] : new[] { guardrail }],
            },
        }, CancellationToken.None);
        if (verdict is not null)
            await _host.Service<IVerdictWriter>().RecordFeedbackAsync(id, new VerdictRecord(verdict, 0.95, Verdicts.FromFeedback), CancellationToken.None);
        return s;
    }

    private static string Text(IHtmlDocument page, string id) =>
        page.GetElementById(id)?.TextContent.Trim() ?? throw new AssertionException($"no element #{id}");

    [Test]
    public async Task SuggestionDetail_TicketFlaggedForPromptInjection_WarnsAboveTheNote_CleanOneDoesNot()
    {
        await AddSuggestionAsync("s151", guardrail: DraftGuardrails.Injection(["ignore-instructions"]));
        await AddSuggestionAsync("s152", guardrail: DraftGuardrails.Injection([]));
        using var session = await SignInAsync("manager");

        var (_, flagged) = await session.GetPageAsync("/console/suggestions/s151");
        var (_, clean) = await session.GetPageAsync("/console/suggestions/s152");

        Assert.That(Text(flagged, "injection-warning"), Does.Contain("tries to instruct the assistant").And.Contain("ignore-instructions"));
        Assert.That(clean.GetElementById("injection-warning"), Is.Null);
    }

    [Test]
    public async Task Overview_ShowsTodaysSuggestionsAcceptanceGapsLatencyAndMode()
    {
        await AddSuggestionAsync("s101", verdict: Verdicts.SentAsIs, total: 30);
        await AddSuggestionAsync("s102", verdict: Verdicts.Rejected, total: 50);
        await AddSuggestionAsync("s103", total: 70);
        await AddSuggestionAsync("s104", kind: SuggestionKind.KnowledgeGap, total: 90);
        using var session = await SignInAsync("manager");

        var (response, page) = await session.GetPageAsync("/console");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(Text(page, "card-today"), Does.StartWith("4"));
            Assert.That(Text(page, "card-week"), Does.StartWith("4"));
            Assert.That(Text(page, "card-acceptance-week"), Does.StartWith("50%"), "one sent as is, one rejected");
            Assert.That(Text(page, "card-gaps"), Does.StartWith("1"));
            Assert.That(Text(page, "card-latency"), Does.StartWith("50 / 90 ms"));
            Assert.That(Text(page, "mode-global"), Is.EqualTo("Shadow"));
        });
    }

    [Test]
    public async Task Suggestions_FilterByVerdict_ThenDetailShowsNoteAndFullTrace()
    {
        await AddSuggestionAsync("s201", verdict: Verdicts.Rejected);
        await AddSuggestionAsync("s202", verdict: Verdicts.SentAsIs);
        using var session = await SignInAsync("manager");

        var (_, list) = await session.GetPageAsync("/console/suggestions?verdict=rejected");
        var rows = list.QuerySelectorAll("#suggestions-table tbody tr").Select(r => r.GetAttribute("data-suggestion-id")).ToList();
        Assert.That(rows, Is.EqualTo(new[] { "s201" }));

        var href = list.QuerySelector("a.suggestion-link")!.GetAttribute("href")!;
        var (detail, page) = await session.GetPageAsync(href);
        Assert.That(detail.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(Text(page, "note"), Is.EqualTo("Here is the draft reply."));
            Assert.That(Text(page, "verdict"), Is.EqualTo("rejected"));
            Assert.That(Text(page, "trace-policy"), Does.Contain("refund-rule"));
            Assert.That(Text(page, "trace-sources"), Does.Contain("Refund policy").And.Contain("0.912"));
            Assert.That(Text(page, "trace-guardrails"), Does.Contain("pass").And.Contain("citations"));
            Assert.That(Text(page, "trace-model"), Does.Contain("offline-extractive"));
            Assert.That(Text(page, "trace-timings"), Does.Contain("total 40.0 ms"));
        });
    }

    [Test]
    public async Task Suggestions_GapEscalationWithheld_ShowNoVerdict_NotPending_InConsoleAndApi()
    {
        await AddSuggestionAsync("s211", kind: SuggestionKind.KnowledgeGap);
        await AddSuggestionAsync("s212", kind: SuggestionKind.Escalation);
        await AddSuggestionAsync("s213", kind: SuggestionKind.Withheld);
        await AddSuggestionAsync("s214");
        using var session = await SignInAsync("manager");

        var (_, pending) = await session.GetPageAsync("/console/suggestions?verdict=pending");
        var (_, notApplicable) = await session.GetPageAsync("/console/suggestions?verdict=not_applicable");
        var (_, gap) = await session.GetPageAsync("/console/suggestions/s211");

        Assert.That(pending.QuerySelectorAll("#suggestions-table tbody tr").Select(r => r.GetAttribute("data-suggestion-id")), Is.EqualTo(new[] { "s214" }));
        Assert.That(notApplicable.QuerySelectorAll("#suggestions-table tbody tr").Select(r => r.GetAttribute("data-suggestion-id")).Order(),
            Is.EqualTo(new[] { "s211", "s212", "s213" }));
        Assert.That(Text(gap, "verdict"), Is.EqualTo("n/a"));
        var api = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?limit=10"))!["items"]!.AsArray()
            .ToDictionary(i => i!["id"]!.GetValue<string>(), i => i!["verdict"]?.GetValue<string>());
        Assert.That((api["s211"], api["s212"], api["s213"], api["s214"]), Is.EqualTo(("not_applicable", "not_applicable", "not_applicable", (string?)null)));
        var detail = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions/s212"))!;
        Assert.That(detail["verdict"]!.GetValue<string>(), Is.EqualTo("not_applicable"));
    }

    [TestCase("javascript:alert(1)", null)]
    [TestCase("data:text/html,hi", null)]
    [TestCase("/relative/refunds", null)]
    [TestCase("https://help.example.com/refunds", "https://help.example.com/refunds")]
    public async Task SuggestionDetail_SourceUrl_LinkedOnlyWhenHttp(string url, string? expectedHref)
    {
        await AddSuggestionAsync("s310", sourceUrl: url);
        using var session = await SignInAsync("manager");

        var (_, page) = await session.GetPageAsync("/console/suggestions/s310");

        var sources = page.GetElementById("trace-sources")!;
        Assert.That(sources.TextContent, Does.Contain("Refund policy"));
        Assert.That(sources.QuerySelector("a")?.GetAttribute("href"), Is.EqualTo(expectedHref));
    }

    [Test]
    public async Task SuggestionDetail_NoteWithMarkup_IsShownAsText()
    {
        await AddSuggestionAsync("s301", note: "<script>alert('x')</script><b>bold</b>");
        using var session = await SignInAsync("manager");

        var (_, page) = await session.GetPageAsync("/console/suggestions/s301");

        Assert.That(page.GetElementById("note")!.Children, Is.Empty, "no element was injected");
        Assert.That(Text(page, "note"), Is.EqualTo("<script>alert('x')</script><b>bold</b>"));
        Assert.That(page.Scripts.Select(s => s.Source), Is.EqualTo(new[] { "/console/assets/console.js" }));
    }

    [Test]
    public async Task SuggestionDetail_Unknown_Is404Page()
    {
        using var session = await SignInAsync("manager");
        var (response, page) = await session.GetPageAsync("/console/suggestions/nope");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(Text(page, "error-message"), Does.Contain("nope"));
    }

    [Test]
    public async Task Tagging_OpsLeadSwitchesTagToAuto_RuleStoredAndAuditNamesTheUser()
    {
        using var session = await SignInAsync("ops");

        using var saved = await session.SubmitAsync("/console/tagging", "#new-rule",
            new Dictionary<string, string> { ["scope"] = "tag", ["name"] = "refund", ["mode"] = "auto", ["threshold"] = "0.6" });

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var rule = (await _host.Service<TaggingStore>().ListAsync(CancellationToken.None)).Single(r => r.Name == "refund");
        Assert.That((rule.Scope, rule.Mode, rule.Threshold), Is.EqualTo((TagScopes.Tag, "auto", 0.6)));
        var (_, page) = await session.GetPageAsync(saved.Headers.Location!.ToString());
        Assert.That(page.QuerySelector<IHtmlSelectElement>("#mode-tag-refund")!.Value, Is.EqualTo("auto"));
        Assert.That(page.QuerySelector("#tagging-audit tbody tr .audit-who")!.TextContent, Is.EqualTo("ops"));

        // The row's own form changes it back.
        using var off = await session.SubmitAsync("/console/tagging", "#rule-tag-refund",
            new Dictionary<string, string> { ["mode"] = "off", ["threshold"] = "0.6" });
        Assert.That((await _host.Service<TaggingStore>().ListAsync(CancellationToken.None)).Single(r => r.Name == "refund").Mode, Is.EqualTo("off"));
    }

    [Test]
    public async Task Tagging_SaveWithoutChange_WritesNoAuditEntry()
    {
        using var session = await SignInAsync("ops");
        var fields = new Dictionary<string, string> { ["scope"] = "tag", ["name"] = "refund", ["mode"] = "auto", ["threshold"] = "0.6" };
        using (var first = await session.SubmitAsync("/console/tagging", "#new-rule", fields))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var again = await session.SubmitAsync("/console/tagging", "#rule-tag-refund", new Dictionary<string, string> { ["mode"] = "auto", ["threshold"] = "0.6" });

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await _host.Service<TaggingStore>().AuditAsync(100, CancellationToken.None), Has.Count.EqualTo(1));
        var (_, page) = await session.GetPageAsync(again.Headers.Location!.ToString());
        Assert.That(Text(page, "saved-message"), Does.Contain("already set that way"));
    }

    [Test]
    public async Task Tagging_InvalidThreshold_Is400_AndNothingChanges()
    {
        using var session = await SignInAsync("ops");
        using var response = await session.SubmitAsync("/console/tagging", "#new-rule",
            new Dictionary<string, string> { ["scope"] = "tag", ["name"] = "refund", ["mode"] = "auto", ["threshold"] = "7" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.Service<TaggingStore>().ListAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Tagging_ShowsLivePrecisionNextToTheRule()
    {
        await _host.Service<TaggingStore>().SetAsync(TagScopes.Tag, "billing", new TagRuleState("auto", 0.5), "someone", CancellationToken.None);
        var kept = await AddSuggestionAsync("s401");
        var dropped = await AddSuggestionAsync("s402");
        var decision = new TagDecision("billing", TagScopes.Tag, 0.9, "auto", 0.5, TagDecision.Apply);
        var outcomes = _host.Service<TagOutcomes>();
        await outcomes.SettleAsync(Ticket("401", ["billing"]), [kept with { Trace = kept.Trace with { Tagging = [decision] } }], CancellationToken.None);
        await outcomes.SettleAsync(Ticket("402", []), [dropped with { Trace = dropped.Trace with { Tagging = [decision] } }], CancellationToken.None);
        using var session = await SignInAsync("manager");

        var (_, page) = await session.GetPageAsync("/console/tagging");

        Assert.That(Text(page, "precision-tag-billing"), Does.Contain("50%").And.Contain("1/2"));
        Assert.That(page.GetElementById("new-rule"), Is.Null, "a manager reads but cannot change");
        Assert.That(page.GetElementById("read-only-note"), Is.Not.Null);
    }

    private static HelpdeskSidecar.Helpdesks.HelpdeskTicket Ticket(string id, string[] tags) =>
        new("zendesk", id, "subject", "description", "solved", tags, null, null, null, null, null, []);

    [Test]
    public async Task Tagging_ManagerPost_IsRefused_EvenWithAValidAntiforgeryToken()
    {
        using var manager = await SignInAsync("manager");
        var (_, page) = await manager.GetPageAsync("/console");
        var token = page.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")!.Value;

        using var post = await manager.Client.PostAsync("/console/tagging", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["scope"] = "tag", ["name"] = "refund", ["mode"] = "auto", ["threshold"] = "0.5",
        }));

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(post.Headers.Location?.ToString(), Does.Contain("/console/denied"));
        Assert.That(await _host.Service<TaggingStore>().ListAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Policy_ValidFile_ShowsModePerBrand()
    {
        using var session = await SignInAsync("ops");

        var (_, page) = await session.GetPageAsync("/console/policy");

        Assert.That(page.GetElementById("policy-valid"), Is.Not.Null);
        Assert.That(page.QuerySelectorAll("#modes tbody tr").Select(r => r.TextContent), Has.Some.Contains("acme").And.Some.Contains("Live"));
    }

    [Test]
    public async Task Policy_RejectedFile_ErrorShownAtItsLine_AndLastGoodPolicyStaysInForce()
    {
        using var session = await SignInAsync("ops");
        await File.WriteAllTextAsync(_policyFile, "version: 1\nrules:\n  - name: everything\n    escalate: \"Always.\"\n");

        var (response, page) = await Eventually.GetAsync(() => session.GetPageAsync("/console/policy"),
            p => p.Page.GetElementById("policy-errors") is not null, because: "the rewritten file to be checked");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Text(page, "policy-errors"), Does.Contain("line 3").And.Contain("must match on something"));
        Assert.That(page.QuerySelectorAll("#policy-file .error-line").Select(l => l.Id), Is.EqualTo(new[] { "line-3" }));
        Assert.That(Text(page, "policy-source"), Does.Contain(_policyFile).And.Contain("1 rule"), "the last good file stays in force");
        Assert.That(Text(page, "mode-default"), Is.EqualTo("Shadow"));
    }

    [Test]
    public async Task Reports_ChartsByIntentWithLabels_AndCsvLinkDownloadsWithTheCookie()
    {
        await AddSuggestionAsync("s501", verdict: Verdicts.SentAsIs, intent: "refund");
        await AddSuggestionAsync("s502", verdict: Verdicts.Rejected, intent: "refund");
        await AddSuggestionAsync("s503", verdict: Verdicts.Edited, intent: "shipping");
        using var session = await SignInAsync("manager");

        var (response, page) = await session.GetPageAsync("/console/reports");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var chart = page.GetElementById("chart-intent")!;
        Assert.That(chart.QuerySelector("title")!.TextContent, Is.EqualTo("Acceptance by intent"));
        var labels = chart.QuerySelectorAll("g.bar-row > text").Select(t => t.TextContent.Trim()).ToList();
        Assert.That(labels, Is.EqualTo(new[] { "refund", "50% (n=2)", "shipping", "100% (n=1)" }));
        Assert.That(page.GetElementById("chart-week")!.QuerySelectorAll("circle"), Has.Length.EqualTo(1));

        var csv = page.GetElementById("csv-intent")!;
        Assert.That(csv.HasAttribute("download"), Is.True);
        using var download = await session.Client.GetAsync(csv.GetAttribute("href"));
        Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        var lines = (await download.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.That(lines, Does.Contain("refund,2,1,0,1,0,0,0.5,0.95,0,0,0,2,0"));
    }

    [Test]
    public async Task Reports_WindowToTheLastRepresentableDay_ShowsTheDrafts()
    {
        await AddSuggestionAsync("s511", verdict: Verdicts.SentAsIs);
        using var session = await SignInAsync("manager");

        var (response, page) = await session.GetPageAsync("/console/reports?from=0001-01-01&to=9999-12-31");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Text(page, "report-total"), Does.StartWith("1 drafts"));
    }

    [TestCase("from=2026-05-10&to=2026-05-01", "'to' must not be before 'from'")]
    [TestCase("from=10/05/2026", "'from' must be a date as yyyy-MM-dd")]
    [TestCase("to=2026-13-01", "'to' must be a date as yyyy-MM-dd")]
    [TestCase("usage=month", "'usage' must be one of week, day")]
    public async Task Reports_BadDates_Is400ConsolePageWithTheFormAndTheReason(string query, string reason)
    {
        await AddSuggestionAsync("s521", verdict: Verdicts.SentAsIs);
        using var session = await SignInAsync("manager");

        var (response, page) = await session.GetPageAsync("/console/reports?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.Multiple(() =>
        {
            Assert.That(page.GetElementById("nav")?.TextContent, Does.Contain("Reports"), "the normal console page, navigation included");
            Assert.That(page.QuerySelector("#report-range #range-error")?.TextContent, Does.Contain(reason), "the reason inside the form, beside the fields");
            Assert.That(page.QuerySelector<IHtmlInputElement>("#report-range input[name=from]"), Is.Not.Null);
            Assert.That(page.QuerySelectorAll("#report-range [aria-invalid=true]"), Is.Not.Empty);
            Assert.That(page.GetElementById("report-total"), Is.Null, "no report from refused dates");
        });
    }

    [TestCase("kind=bogus", "Draft, KnowledgeGap")]
    [TestCase("verdict=maybe", "sent_as_is, edited, rejected, no_reply")]
    public async Task Suggestions_UnknownFilterValue_Is400PageNamingTheAllowedValues(string query, string allowed)
    {
        await AddSuggestionAsync("s231");
        using var session = await SignInAsync("manager");

        var (response, page) = await session.GetPageAsync("/console/suggestions?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Text(page, "filter-error"), Does.Contain(allowed));
        Assert.That(page.GetElementById("suggestion-filter"), Is.Not.Null, "the filter form stays to correct it");
        Assert.That(page.GetElementById("nav"), Is.Not.Null);
    }

    [Test]
    public async Task Knowledge_NoSyncRunning_ProgressBarHiddenAndNotIndeterminate()
    {
        using var session = await SignInAsync("ops");

        var (_, page) = await session.GetPageAsync("/console/knowledge");

        var bar = page.GetElementById("sync-progress")!;
        Assert.Multiple(() =>
        {
            Assert.That(bar.HasAttribute("hidden"), Is.True, "nothing runs: no bar");
            Assert.That(page.GetElementById("sync-progress-label")!.HasAttribute("hidden"), Is.True);
            Assert.That(bar.HasAttribute("value"), Is.True, "a bar without a value is indeterminate and animates");
        });
    }

    [Test]
    public async Task Knowledge_ShowsSourcesAndGaps_SyncNowWithoutHelpdeskSaysWhy()
    {
        var kb = Path.Combine(_policyDir.Path, "kb");
        Directory.CreateDirectory(kb);
        await File.WriteAllTextAsync(Path.Combine(kb, "refunds.md"), "# Refunds\n\nRefunds take five days to reach your card.\n");
        await _host.Service<HelpdeskSidecar.Knowledge.KnowledgeImporter>().ImportFolderAsync(kb, null, CancellationToken.None);
        await AddSuggestionAsync("s601", kind: SuggestionKind.KnowledgeGap, intent: "warranty", question: "Does the warranty cover a cracked screen? Mail me at [EMAIL_1]");
        using var manager = await SignInAsync("manager");
        using var session = await SignInAsync("ops");

        var (_, page) = await manager.GetPageAsync("/console/knowledge");
        Assert.That(page.QuerySelector("#kb-sources tbody tr")!.TextContent, Does.Contain("files").And.Contain("1"));
        Assert.That(page.QuerySelector("#kb-gaps tbody tr")!.TextContent, Does.Contain("warranty"));
        Assert.That(page.QuerySelector("#kb-gaps .gap-example")!.TextContent, Is.EqualTo("Does the warranty cover a cracked screen? Mail me at [EMAIL_1]"));
        Assert.That(page.GetElementById("gap-suggestions")!.GetAttribute("href"), Is.EqualTo("/console/suggestions?kind=KnowledgeGap"));
        Assert.That(page.GetElementById("sync-form"), Is.Null, "a manager reads; ops leads sync");
        (_, page) = await session.GetPageAsync("/console/knowledge");
        Assert.That(page.QuerySelector("#kb-sources tbody tr")!.TextContent, Does.Contain("files"));
        Assert.That(page.GetElementById("kb-gaps"), Is.Null, "gap examples are a report, as /api/reports/gaps: not for ops leads");

        using var sync = await session.SubmitAsync("/console/knowledge", "#sync-form", new Dictionary<string, string>());
        Assert.That(sync.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (_, after) = await session.GetPageAsync("/console/knowledge");
        Assert.That(Text(after, "sync-status"), Does.Contain("No helpdesk is configured"));
    }

    [TestCase("/console")]
    [TestCase("/console/suggestions")]
    [TestCase("/console/tagging")]
    [TestCase("/console/policy")]
    [TestCase("/console/knowledge")]
    [TestCase("/console/reports")]
    [TestCase("/console/access")]
    [TestCase("/console/login")]
    public async Task EveryPage_EveryControlHasALabel_AndNothingLoadsFromElsewhere(string path)
    {
        await AddSuggestionAsync("s701", verdict: Verdicts.Edited);
        await _host.Service<UserStore>().UpsertAsync("admin", Role.Admin, "admin-password", CancellationToken.None);
        using var session = path == "/console/login" ? new ConsoleSession(_host.BaseAddress) : await SignInAsync("admin");

        var (response, page) = await session.GetPageAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var controls = page.QuerySelectorAll("input:not([type=hidden]), select, textarea").ToList();
        foreach (var control in controls)
        {
            var labelled = control.Closest("label") is not null || (control.Id is { Length: > 0 } id && page.QuerySelector($"label[for='{id}']") is not null);
            Assert.That(labelled, Is.True, $"{path}: <{control.LocalName} id='{control.Id}' name='{control.GetAttribute("name")}'> has no label");
        }
        var external = page.QuerySelectorAll("[src], link[href]").Select(e => e.GetAttribute("src") ?? e.GetAttribute("href")!)
            .Where(u => !u.StartsWith('/')).ToList();
        Assert.That(external, Is.Empty);
        Assert.That(page.QuerySelector("meta[name=viewport]"), Is.Not.Null);
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'"));
    }

    [Test]
    public async Task Assets_ServedWithoutSignIn_UnknownIs404()
    {
        using var css = await _host.AnonymousClient.GetAsync("/console/assets/console.css");
        using var js = await _host.AnonymousClient.GetAsync("/console/assets/console.js");
        using var missing = await _host.AnonymousClient.GetAsync("/console/assets/nope.css");
        Assert.That((css.StatusCode, js.StatusCode, missing.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound)));
        Assert.That(css.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
        Assert.That(await css.Content.ReadAsStringAsync(), Does.Contain("@media (max-width: 600px)"));
    }
}
