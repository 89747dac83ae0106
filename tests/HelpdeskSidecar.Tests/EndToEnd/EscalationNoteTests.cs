using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// Policy from outside: a signed webhook for a ticket that threatens legal action → an internal note on a loopback
/// Zendesk that says a human must take over and why, summarises the thread, and carries no draft.
/// </summary>
public class EscalationNoteTests
{
    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;
    private string _policy = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .WithPolicy("""
                version: 1
                rules:
                  - name: legal-threat
                    match:
                      keywords: ["sue", "my lawyer", "legal action"]
                    escalate: "The customer threatens legal action."
                guardrails:
                  banned_phrases: ["guaranteed refund"]
                """)
            .With("Sidecar:Policy:ReloadInterval=00:00:00.100")
            .WithArticle("refunds.md", """
                # How refunds work

                ## Asking for a refund
                You can ask for a refund within 30 days of delivery from the Orders page. Choose the order, press Request refund and pick a reason.

                ## When the money arrives
                Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.
                """)
            .StartAsync();
        (_zendesk, _host, _policy) = (_scenario.Zendesk, _scenario.Host, _scenario.PolicyPath);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task LegalThreat_LiveMode_EscalationNoteWithReasonAndNoDraft()
    {
        _zendesk.AddTicket(7001, "Refund for my returned jacket",
            "I sent the jacket back a month ago and I already asked twice. When will the refund reach my card?",
            "Nobody answers. I will sue you, my lawyer is already looking at this. When will the money arrive?");

        using var response = await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-legal-1", 7001)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var puts = await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(7001)), p => p.Count >= 1, because: "the escalation note");
        var comment = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!;
        Assert.That(comment["public"]!.GetValue<bool>(), Is.False);
        var note = comment["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("a human must take over"));
        Assert.That(note, Does.Contain("The customer threatens legal action."));
        Assert.That(note, Does.Contain("policy rule 'legal-threat'"));
        Assert.That(note, Does.Contain("Problem: Refund for my returned jacket"));
        Assert.That(note, Does.Contain("already asked twice"), "what has been tried");
        Assert.That(note, Does.Contain("When will the money arrive?"), "the next step");
        Assert.That(note, Does.Not.Contain("--- Draft ---"));
        Assert.That(note, Does.Not.Contain("5 to 10 business days"), "no knowledge is quoted");

        var list = await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=7001");
        var item = list!["items"]!.AsArray().Single()!;
        Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("Escalation"));
        Assert.That(item["draft"], Is.Null);
        var detail = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{item["id"]!.GetValue<string>()}");
        var policy = detail!["trace"]!["policy"]!;
        Assert.That(policy["rule"]!.GetValue<string>(), Is.EqualTo("legal-threat"));
        Assert.That(policy["escalate"]!.GetValue<bool>(), Is.True);
        Assert.That(policy["matched"]!.AsArray().Select(m => m!.GetValue<string>()), Has.Some.StartsWith("keyword:"));
    }

    [Test]
    public async Task OrdinaryTicket_DraftedWithPolicyRuleAndGuardrailsInTheTrace()
    {
        _zendesk.AddTicket(7002, "Refund for my returned jacket",
            "Hello, the warehouse received the returned item. When will the refund reach my card?");

        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-ok-1", 7002)))) { }

        var list = await Eventually.GetAsync(() => _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=7002"),
            l => l!["items"]!.AsArray().Count == 1, because: "the suggestion");
        var item = list!["items"]![0]!;
        Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("Draft"));
        var detail = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{item["id"]!.GetValue<string>()}");
        Assert.That(detail!["trace"]!["policy"]!["rule"]!.GetValue<string>(), Is.EqualTo("default"));
        var guardrails = detail["trace"]!["guardrails"]!.AsArray();
        Assert.That(guardrails.Select(g => g!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "citations", "urls", "pii", "banned_phrases", "prompt_injection" }));
        Assert.That(guardrails.All(g => g!["passed"]!.GetValue<bool>()), Is.True, detail["trace"]!["guardrails"]!.ToJsonString());
    }

    [Test]
    public async Task GetPolicy_ReturnsRulesSourceAndNoErrors()
    {
        var policy = await _host.Client.GetFromJsonAsync<JsonObject>("/api/policy");

        Assert.That(policy!["source"]!.GetValue<string>(), Does.EndWith("policy.yaml"));
        Assert.That(policy["rules"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("legal-threat"));
        Assert.That(policy["banned_phrases"]![0]!.GetValue<string>(), Is.EqualTo("guaranteed refund"));
        Assert.That(policy["last_errors"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task PolicyEditedWithBannedPhrase_ReloadedAndTheDraftIsWithheldWithTheReason()
    {
        File.WriteAllText(_policy, """
            version: 1
            guardrails:
              banned_phrases: ["business days"]
            """);
        await Eventually.GetAsync(() => _host.Client.GetFromJsonAsync<JsonObject>("/api/policy"),
            p => p!["banned_phrases"]!.AsArray().Count == 1 && p["banned_phrases"]![0]!.GetValue<string>() == "business days", because: "the edited policy");

        _zendesk.AddTicket(7003, "Refund for my returned jacket",
            "Hello, the warehouse received the returned item. When will the refund reach my card?");
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-banned-1", 7003)))) { }

        var puts = await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(7003)), p => p.Count >= 1, because: "the note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("was withheld"));
        Assert.That(note, Does.Contain("guardrail 'banned_phrases' failed"));
        Assert.That(note, Does.Not.Contain("--- Draft ---"));
        Assert.That(note, Does.Not.Contain("5 to 10 business days"));
        var item = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=7003"))!["items"]!.AsArray().Single()!;
        Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("Withheld"));
        Assert.That(item["draft"], Is.Null);
    }

    [Test]
    public async Task PolicyEditBroken_RejectedWithLineAndTheLastGoodPolicyStays()
    {
        File.WriteAllText(_policy, "version: 1\nrules:\n  - name: broken\n    match:\n      urgency: [extreme]\n");

        var policy = await Eventually.GetAsync(() => _host.Client.GetFromJsonAsync<JsonObject>("/api/policy"),
            p => p!["last_errors"]!.AsArray().Count > 0, because: "the rejected edit");

        Assert.That(policy!["rules"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("legal-threat"));
        var error = policy["last_errors"]![0]!;
        Assert.That(error["line"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(error["message"]!.GetValue<string>(), Does.Contain("extreme"));
    }

    [Test]
    public void Start_InvalidPolicyFile_RefusedNamingTheKeyAndLine()
    {
        using var dir = new TempDirectory();
        var bad = dir.File("bad.yaml", "version: 1\nrules:\n  - name: x\n    match:\n      keywords: [a]\n    visibility: everyone\n");

        var ex = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await SidecarTestHost.StartAsync([$"Sidecar:Policy:File={bad}"]));

        Assert.That(ex!.Message, Does.Contain("Sidecar:Policy:File").And.Contain("(6,").And.Contain("everyone"));
    }

    [Test]
    public async Task PolicyWithoutDraftAction_NoteWithheldSayingWhichRule()
    {
        File.WriteAllText(_policy, """
            version: 1
            defaults:
              actions: [summary, tags]
            """);
        await Eventually.GetAsync(() => _host.Client.GetFromJsonAsync<JsonObject>("/api/policy"),
            p => p!["defaults"]!["actions"]!.AsArray().Count == 2, because: "the edited policy");

        _zendesk.AddTicket(7004, "Refund for my returned jacket",
            "Hello, the warehouse received the returned item. When will the refund reach my card?");
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-nodraft-1", 7004)))) { }

        var puts = await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(7004)), p => p.Count >= 1, because: "the note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("policy rule 'default' does not allow drafts"));
        Assert.That(note, Does.Not.Contain("--- Draft ---"));
        var item = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=7004"))!["items"]!.AsArray().Single()!;
        Assert.That(item["kind"]!.GetValue<string>(), Is.EqualTo("Withheld"));
    }
}
