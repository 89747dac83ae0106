using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using HelpdeskSidecar.WebConsole;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>
/// The console for agents over real HTTP with a signed-in session: a suggestion's page (question, draft beside the sent
/// reply as a diff, sources, summary, tags, verdict form) and the paged, filtered list; data through the real stores,
/// the helpdesk a loopback Zendesk.
/// </summary>
public class SuggestionAgentPagesTests
{
    private const string Password = "agent-password";
    private SidecarScenario _scenario = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithZendesk().WithUser("alex", Role.Agent, Password).StartAsync();
        _host = _scenario.Host;
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    private async Task<ConsoleSession> SignInAsync()
    {
        var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.SignInAsync("alex", Password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sign-in");
        return session;
    }

    internal const string Draft = "Hi Ana,\nRefunds reach your card within 5 business days of the return arriving [1].";
    internal const string Reply = "Hi Ana,\nRefunds reach your card within 7 business days of the return arriving. Sorry for the wait.";
    internal const string Note = "HelpdeskSidecar suggested reply.\n\nSummary of the thread:\n- Problem: refund not on the card yet\n- Tried so far: nothing reported.\n- Next step: confirm the return arrived\n\n[sidecar-suggestion:x]";

    internal static Suggestion Sample(string id, SuggestionKind kind = SuggestionKind.Draft, DateTimeOffset? at = null, string mode = "Shadow", string ticket = "77") => new()
    {
        Id = id, Provider = "zendesk", TicketId = ticket, TriggerKey = id, CreatedAt = at ?? TimeProvider.System.GetUtcNow(), Kind = kind, Mode = mode,
        Draft = kind == SuggestionKind.Draft ? Draft : null, Note = Note, Status = SuggestionStatus.Shadow,
        Question = "My refund for order [ORDER_1] has not reached my card, mail me at [EMAIL_1]",
        Trace = new SuggestionTrace
        {
            Drafter = "offline-extractive", Reason = "Two sources agree.", Confidence = 0.83, TimingsMs = new TraceTimings(5, 10, 20, 40),
            Sources = [new TraceSource(1, 7, "Refund policy", "https://help.example.com/refunds", "Refunds > Timing", 0.912, ["refund"])],
            Understanding = new TicketUnderstanding
            {
                Redactor = "test", Intent = new LabelScore("refund", 0.9), Tags = [new LabelScore("billing", 0.7), new LabelScore("card", 0.6)],
            },
            Policy = kind == SuggestionKind.Escalation
                ? new HelpdeskSidecar.Copilot.Policy.PolicyDecision { Rule = "vip", Source = "policy.yaml", Visibility = "public", Escalate = true, EscalationReason = "VIP customers always get a human." }
                : null,
        },
    };

    private async Task AddAsync(Suggestion s, string? reply = null)
    {
        await _host.Service<SuggestionStore>().InsertAsync(s, CancellationToken.None);
        if (reply is not null)
        {
            var (verdict, similarity) = Verdicts.Judge(s.Draft!, reply, new AcceptanceOptions());
            await _host.Service<IVerdictWriter>().RecordIfOpenAsync(s.Id, new VerdictRecord(verdict, similarity, Verdicts.FromReply, Reply: reply), CancellationToken.None);
        }
    }

    private static string Text(IHtmlDocument page, string id) =>
        page.GetElementById(id)?.TextContent.Trim() ?? throw new AssertionException($"no element #{id}");

    [Test]
    public async Task Detail_ShowsQuestionDraftReplyDiffSourcesSummaryTagsConfidence_AndTheTicketInTheHelpdesk()
    {
        await AddAsync(Sample("s1"), Reply);
        using var session = await SignInAsync();

        var (response, page) = await session.GetPageAsync("/console/suggestions/s1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var diff = page.GetElementById("reply-diff")!;
        Assert.Multiple(() =>
        {
            Assert.That(Text(page, "question"), Is.EqualTo("My refund for order [ORDER_1] has not reached my card, mail me at [EMAIL_1]"));
            Assert.That(Text(page, "draft"), Is.EqualTo(Draft));
            Assert.That(diff.QuerySelectorAll("del").Select(d => d.TextContent), Is.EqualTo(new[] { "[removed: 5]" }), "the citation marker is not a change");
            Assert.That(diff.QuerySelectorAll("ins").Select(d => d.TextContent), Is.EqualTo(new[] { "[added: 7]", "[added: Sorry for the wait.]" }));
            Assert.That(diff.QuerySelectorAll("del .sr-only, ins .sr-only").Count(), Is.EqualTo(6), "each change is labelled in text, not by colour alone");
            Assert.That(diff.TextContent, Does.Contain("Refunds reach your card within").And.Contain("business days of the return"));
            Assert.That(Text(page, "diff-counts"), Is.EqualTo("11 words kept, 1 removed, 5 added."));
            Assert.That(page.QuerySelector("#sources li a")!.GetAttribute("href"), Is.EqualTo("https://help.example.com/refunds"));
            Assert.That(Text(page, "sources"), Does.Contain("Refund policy").And.Contain("Refunds > Timing").And.Contain("https://help.example.com/refunds"));
            Assert.That(Text(page, "summary"), Does.Contain("- Problem: refund not on the card yet").And.Contain("- Next step: confirm the return arrived"));
            Assert.That(Text(page, "tags"), Is.EqualTo("billing (0.70), card (0.60)"));
            Assert.That(Text(page, "confidence"), Is.EqualTo("0.83"));
            Assert.That(page.GetElementById("ticket-link")!.GetAttribute("href"), Is.EqualTo(new Uri(_scenario.Zendesk.BaseUrl + "/agent/tickets/77").ToString()));
            Assert.That(page.GetElementById("why-no-draft"), Is.Null, "a draft needs no explanation");
            Assert.That(page.GetElementById("trace-sources"), Is.Not.Null, "the whole trace stays");
        });
    }

    [Test]
    public async Task Detail_NoReplyYet_SaysSo_EscalationSaysWhy_AndHasNoVerdictForm()
    {
        await AddAsync(Sample("s2"));
        await AddAsync(Sample("s3", SuggestionKind.Escalation));
        using var session = await SignInAsync();

        var (_, draft) = await session.GetPageAsync("/console/suggestions/s2");
        var (_, escalation) = await session.GetPageAsync("/console/suggestions/s3");

        Assert.That(Text(draft, "reply-diff"), Does.StartWith("Not known yet"));
        Assert.That(draft.GetElementById("verdict-form"), Is.Not.Null);
        Assert.That(Text(escalation, "why-no-draft"), Is.EqualTo("Why it was escalated: VIP customers always get a human."));
        Assert.That(escalation.GetElementById("verdict-form"), Is.Null, "no draft, no verdict");
    }

    [Test]
    public async Task VerdictForm_Edited_StoredAsFeedbackLikeTheApi_ShownOnThePage_AndCountedInTheAcceptanceReport()
    {
        await AddAsync(Sample("s4"), Reply);
        using var session = await SignInAsync();

        using var post = await session.SubmitAsync("/console/suggestions/s4", "#verdict-form",
            new Dictionary<string, string> { ["verdict"] = "rejected", ["reason"] = "wrong customer, she is ana@example.com" });

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(post.Headers.Location!.ToString(), Is.EqualTo("/console/suggestions/s4?saved=verdict-saved"));
        await using (var connection = await _host.Service<Database>().OpenAsync())
        {
            var row = await connection.QuerySingleAsync<(string Verdict, string Source, string Reason)>(
                "SELECT verdict, verdict_source, verdict_reason FROM suggestions WHERE id = 's4'");
            Assert.That(row, Is.EqualTo(("rejected", Verdicts.FromFeedback, "wrong customer, she is [EMAIL_1]")), "as POST /api/suggestions/{id}/feedback stores it");
        }
        var (_, page) = await session.GetPageAsync(post.Headers.Location!.ToString());
        Assert.That(Text(page, "saved-message"), Does.StartWith("Thanks"));
        Assert.That(Text(page, "verdict"), Is.EqualTo("rejected"));
        Assert.That(page.QuerySelector<IHtmlInputElement>("#verdict-rejected")!.IsChecked, Is.True);
        var report = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/acceptance"))!["total"]!;
        Assert.That(((int)report["suggestions"]!, (int)report["rejected"]!, (int)report["edited"]!), Is.EqualTo((1, 1, 0)));
    }

    [Test]
    public async Task VerdictForm_NoChoice_Is400WithTheReason_NothingStored()
    {
        await AddAsync(Sample("s5"));
        using var session = await SignInAsync();

        using var post = await session.SubmitAsync("/console/suggestions/s5", "#verdict-form", new Dictionary<string, string> { ["verdict"] = "maybe" });

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await ConsoleSession.ParseAsync(post);
        Assert.That(Text(page, "verdict-error"), Does.Contain("used as is, used with edits, or not used"));
        Assert.That((await _host.Service<SuggestionStore>().GetAsync("s5", CancellationToken.None))!.Verdict, Is.Null);
    }

    [Test]
    public async Task VerdictForm_WithoutAntiforgeryToken_IsRefused_NothingStored()
    {
        await AddAsync(Sample("s6"));
        using var session = await SignInAsync();

        using var post = await session.Client.PostAsync("/console/suggestions/s6/verdict", new FormUrlEncodedContent([new("verdict", "sent_as_is")]));

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _host.Service<SuggestionStore>().GetAsync("s6", CancellationToken.None))!.Verdict, Is.Null);
    }

    [Test]
    public async Task VerdictForm_OnSuggestionWithoutDraft_Is400_NothingStored()
    {
        await AddAsync(Sample("s7", SuggestionKind.Draft));
        await AddAsync(Sample("s8", SuggestionKind.KnowledgeGap));
        using var session = await SignInAsync();
        var (_, page) = await session.GetPageAsync("/console/suggestions/s7");
        var token = page.QuerySelector<IHtmlInputElement>("#verdict-form input[type=hidden]")!;

        using var post = await session.Client.PostAsync("/console/suggestions/s8/verdict",
            new FormUrlEncodedContent([new(token.Name!, token.Value), new("verdict", "sent_as_is")]));

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _host.Service<SuggestionStore>().GetAsync("s8", CancellationToken.None))!.Verdict, Is.Null);
    }

    [Test]
    public async Task List_SixtySuggestions_PagesOfFiftyWithNextAndPrevious_FiltersKept_RowsLinkToTheTicket()
    {
        var start = new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 60; i++)
            await AddAsync(Sample($"p{i:00}", at: start.AddMinutes(i), mode: i % 2 == 0 ? "Live" : "Shadow", ticket: $"{100 + i}"));
        using var session = await SignInAsync();

        var (_, first) = await session.GetPageAsync("/console/suggestions");
        var next = first.GetElementById("page-next")!.GetAttribute("href")!;
        var (_, second) = await session.GetPageAsync(next);
        var (_, back) = await session.GetPageAsync(second.GetElementById("page-previous")!.GetAttribute("href")!);
        var (_, live) = await session.GetPageAsync("/console/suggestions?mode=live");

        static List<string> Rows(IHtmlDocument d) => d.QuerySelectorAll("#suggestions-table tbody tr").Select(r => r.GetAttribute("data-suggestion-id")!).ToList();
        Assert.That(Rows(first), Is.EqualTo(Enumerable.Range(10, 50).Reverse().Select(i => $"p{i:00}")));
        Assert.That(Rows(second), Is.EqualTo(Enumerable.Range(0, 10).Reverse().Select(i => $"p{i:00}")));
        Assert.That(Rows(back), Is.EqualTo(Rows(first)));
        Assert.That((first.GetElementById("page-previous"), second.GetElementById("page-next")), Is.EqualTo((null as object, null as object)));
        Assert.That(Rows(live), Has.Count.EqualTo(30).And.All.Matches<string>(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));
        Assert.That(live.GetElementById("page-next"), Is.Null);
        Assert.That(first.QuerySelector("tr[data-suggestion-id=p59] a.ticket-link")!.GetAttribute("href"),
            Is.EqualTo(new Uri(_scenario.Zendesk.BaseUrl + "/agent/tickets/159").ToString()));

        var (_, filtered) = await session.GetPageAsync("/console/suggestions?mode=shadow&verdict=pending");
        Assert.That(Rows(filtered), Has.Count.EqualTo(30));
        Assert.That(filtered.GetElementById("page-next"), Is.Null);
        Assert.That(filtered.QuerySelector<IHtmlSelectElement>("#filter-mode")!.Value, Is.EqualTo("shadow"), "the form shows the filter in force");
    }

    [TestCase("mode=sometimes", "'mode' must be one of shadow, live")]
    [TestCase("from=2026-05-10&to=2026-05-01", "'to' must not be before 'from'")]
    [TestCase("cursor=garbage!", "not one the list gave out")]
    public async Task List_BadFilterOrCursor_Is400PageWithTheReason(string query, string reason)
    {
        using var session = await SignInAsync();

        var (response, page) = await session.GetPageAsync("/console/suggestions?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Text(page, "filter-error"), Does.Contain(reason));
    }

    [TestCase("zendesk", "acme", null, "https://acme.zendesk.com/agent/tickets/42")]
    [TestCase("freshdesk", null, "acme", "https://acme.freshdesk.com/a/tickets/42")]
    [TestCase("freshdesk", null, "support.acme.com", "https://support.acme.com/a/tickets/42")]
    [TestCase("zendesk", null, "acme", null)]
    [TestCase("replay", "acme", "acme", null)]
    public void TicketLink_FromTheConfiguredHelpdesk(string provider, string? subdomain, string? domain, string? expected)
    {
        var options = Options.Create(new SidecarOptions { Zendesk = { Subdomain = subdomain }, Freshdesk = { Domain = domain } });

        Assert.That(HelpdeskTicketLinks.For(options, provider, "42"), Is.EqualTo(expected));
    }
}
