using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// Issue 6's "done when", through the real host (signed webhook → Hangfire → pipeline → note on a loopback Zendesk) with a
/// loopback OpenAI-compatible model: a cited draft in the customer's language, escalation without a draft call, model
/// answers that cite unknown sources or invent URLs never reach the helpdesk, fallbacks say why, no raw PII goes to the
/// model, and the trace shows policy rule, sources, guardrails, model, prompt version, tokens and latency.
/// </summary>
public class LlmDraftingTests
{
    private const string SpanishArticle = "Los reembolsos llegan a tu tarjeta entre 5 y 10 días hábiles después de que el almacén recibe la devolución.";

    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private FakeOpenAi _openAi = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .WithOpenAi(openAi =>
            {
                // Without history there is no taxonomy: the model only reads the tone.
                openAi.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = (string?)null, tags = Array.Empty<string>(), sentiment = "neutral", urgency = "low", confidence = 0.8 }));
                openAi.OnChat(FakeOpenAi.SummarySchema, ChatBehaviour.Json(new { problem = "MODEL-SUMMARY: refund not received", tried = new[] { "returned the jacket" }, next_step = "Check the refund status." }));
            })
            .InLiveMode()
            .WithPolicy("""
                version: 1
                rules:
                  - name: legal-threat
                    match:
                      keywords: ["sue", "my lawyer", "abogado", "demandar"]
                    escalate: "The customer threatens legal action."
                  - name: no-drafts-for-invoices
                    match:
                      keywords: ["invoice copy"]
                    actions: [summary, tags]
                """)
            .With(
                "Sidecar:Llm:ApiKey=sk-e2e",
                "Sidecar:Llm:Timeout=00:00:01",
                "Sidecar:Llm:InputCostPerMillionTokens=0.15",
                "Sidecar:Llm:OutputCostPerMillionTokens=0.60",
                "Sidecar:Copilot:SummarizeAfterMessages=3")
            .StartAsync();
        (_zendesk, _openAi, _host) = (_scenario.Zendesk, _scenario.OpenAi, _scenario.Host);
        var index = _host.Service<KnowledgeIndex>();
        await index.UpsertAsync(new KnowledgeArticle("test", "es-refunds", "Reembolsos", "https://help.example.com/es/reembolsos",
            [new ArticleSection("Reembolsos", SpanishArticle)]) { Locale = "es" }, CancellationToken.None);
        await index.UpsertAsync(new KnowledgeArticle("test", "en-refunds", "How refunds work", "https://help.example.com/en/refunds",
            [new ArticleSection("How refunds work", "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")]), CancellationToken.None);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task SpanishTicket_CitedDraftInSpanish_TraceShowsPolicySourcesGuardrailsModelTokensAndLatency()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Hola, tu reembolso llegará a tu tarjeta entre 5 y 10 días hábiles. [1]", [1]));
        _zendesk.AddTicket(6001, "Reembolso de mi chaqueta", "Hola, devolví la chaqueta la semana pasada. ¿Cuándo llega el reembolso a mi tarjeta?");

        var (note, detail) = await WrittenAsync(6001, "evt-llm-es");

        var draftRequest = _openAi.ChatRequests(FakeOpenAi.DraftSchema).Single();
        var user = (string)draftRequest["messages"]![1]!["content"]!;
        Assert.That(user, Does.Contain("in Spanish"), "the prompt asks for the customer's language");
        Assert.That(user, Does.Contain("[1] Reembolsos — https://help.example.com/es/reembolsos"), "the Spanish article is source 1 (locale es first)");
        Assert.That(note, Does.Contain("Hola, tu reembolso llegará a tu tarjeta entre 5 y 10 días hábiles. [1]"));
        Assert.That(note, Does.Contain("[1] Reembolsos — https://help.example.com/es/reembolsos"));
        Assert.That(note, Does.Contain("written by a language model (gpt-test-mini, prompt draft-v2)"));
        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("Draft"));

        var trace = detail["trace"]!;
        Assert.That(trace["understanding"]!["language"]!.GetValue<string>(), Is.EqualTo("es"));
        Assert.That(trace["understanding"]!["classifier"]!.GetValue<string>(), Is.EqualTo("llm:classify-v1"));
        Assert.That(trace["policy"]!["rule"]!.GetValue<string>(), Is.EqualTo("default"));
        Assert.That(trace["drafter"]!.GetValue<string>(), Is.EqualTo("llm:draft-v2"));
        Assert.That(trace["sources"]!.AsArray().Select(s => s!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "Reembolsos" }));
        Assert.That(trace["guardrails"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "citations", "urls", "pii", "banned_phrases", "prompt_injection" }));
        Assert.That(trace["guardrails"]!.AsArray().All(g => g!["passed"]!.GetValue<bool>()), Is.True);
        var model = trace["model"]!;
        Assert.Multiple(() =>
        {
            Assert.That(model["model"]!.GetValue<string>(), Is.EqualTo("gpt-test-mini"));
            Assert.That(model["provider"]!.GetValue<string>(), Is.EqualTo("OpenAI"));
            Assert.That(model["prompt_version"]!.GetValue<string>(), Is.EqualTo("classify-v1+draft-v2"));
            Assert.That(model["calls"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(model["input_tokens"]!.GetValue<int>(), Is.EqualTo(_openAi.ChatRequests().Sum(r => FakeOpenAi.TokensFor(FakeOpenAi.PromptOf(r)))));
            Assert.That(model["output_tokens"]!.GetValue<int>(), Is.GreaterThan(0));
            Assert.That(model["cost_usd"]!.GetValue<decimal>(), Is.GreaterThan(0m));
            Assert.That(model["latency_ms"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(model["fallback"], Is.Null);
        });
    }

    [Test]
    public async Task EscalationRuleTicket_EscalationNoteAndNoDraftCall()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("MODEL-DRAFT-TEXT [1]", [1]));
        _zendesk.AddTicket(6002, "Refund", "Where is my refund? I will sue you, my lawyer is ready.");

        var (note, detail) = await WrittenAsync(6002, "evt-llm-legal");

        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("Escalation"));
        Assert.That(note, Does.Contain("a human must take over").And.Contain("policy rule 'legal-threat'").And.Not.Contain("MODEL-DRAFT-TEXT"));
        Assert.That(_openAi.ChatRequests(FakeOpenAi.DraftSchema), Is.Empty, "no draft was asked of the model");
        Assert.That(detail["trace"]!["policy"]!["rule"]!.GetValue<string>(), Is.EqualTo("legal-threat"));
    }

    [Test]
    public async Task PolicyWithoutDraftAction_NoDraftCallAndTheNoteSaysWhichRule()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("MODEL-DRAFT-TEXT [1]", [1]));
        _zendesk.AddTicket(6010, "Refund", "Please send an invoice copy for the refund to my card.");

        var (note, detail) = await WrittenAsync(6010, "evt-llm-nodraft");

        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("Withheld"));
        Assert.That(note, Does.Contain("policy rule 'no-drafts-for-invoices' does not allow drafts").And.Not.Contain("MODEL-DRAFT-TEXT"));
        Assert.That(_openAi.ChatRequests(FakeOpenAi.DraftSchema), Is.Empty);
    }

    [Test]
    public async Task ModelCitesUnknownSourceThenInventsUrl_NeitherTextReachesTheHelpdesk()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("UNKNOWN-SOURCE-SENTENCE: refunds are instant. [1] [4]", [1, 4]));
        _zendesk.AddTicket(6003, "Reembolso", "¿Cuándo llega el reembolso de la chaqueta a mi tarjeta?");
        var (first, firstDetail) = await WrittenAsync(6003, "evt-llm-cite");

        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Reclama en https://refund-now.example.net/claim para cobrar. [1]", [1]));
        _zendesk.AddTicket(6004, "Reembolso", "¿Dónde pido el reembolso de la chaqueta a mi tarjeta?");
        var (second, secondDetail) = await WrittenAsync(6004, "evt-llm-url");

        var everything = string.Join("\n", _zendesk.Requests.Where(r => r.Method != "GET").Select(r => r.Body));
        Assert.That(everything, Does.Not.Contain("UNKNOWN-SOURCE-SENTENCE").And.Not.Contain("refund-now.example.net"));
        Assert.That(first, Does.Contain("was withheld").And.Contain("guardrail 'citations' failed").And.Contain("[4]"));
        Assert.That(second, Does.Contain("was withheld").And.Contain("guardrail 'urls' failed"));
        Assert.That(firstDetail["kind"]!.GetValue<string>(), Is.EqualTo("Withheld"));
        Assert.That(secondDetail["draft"], Is.Null);
        Assert.That(Guardrail(secondDetail, "urls")["passed"]!.GetValue<bool>(), Is.False);
        Assert.That(secondDetail.ToJsonString(), Does.Not.Contain("refund-now.example.net"), "the stored suggestion does not keep it either");
    }

    [Test]
    public async Task ModelTimesOut_OfflineDraftAndTheNoteSaysSo()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Slow(TimeSpan.FromSeconds(20), new { reply = "late" }));
        _zendesk.AddTicket(6005, "Refund for my returned jacket", "The warehouse received the returned item. When will the refund reach my card?");

        var (note, detail) = await WrittenAsync(6005, "evt-llm-timeout");

        Assert.That(note, Does.StartWith("Drafted offline: the model did not answer (timeout)."));
        Assert.That(note, Does.Contain("5 to 10 business days after the warehouse receives the returned item. [1]"));
        Assert.That(detail["trace"]!["drafter"]!.GetValue<string>(), Is.EqualTo("offline-extractive/v1"));
        Assert.That(detail["trace"]!["model"]!["fallback"]!.GetValue<string>(), Is.EqualTo("draft: timeout"));
    }

    [Test]
    public async Task ModelSaysNeedsHuman_EscalationNoteWithTheReasonAndNoDraft()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("", [], needsHuman: true, humanReason: "The customer mentions a bereavement."));
        _zendesk.AddTicket(6006, "Refund", "My father passed away, when will the refund for his order reach the card?");

        var (note, detail) = await WrittenAsync(6006, "evt-llm-human");

        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("Escalation"));
        Assert.That(detail["draft"], Is.Null);
        Assert.That(note, Does.Contain("a human must take over").And.Contain("The customer mentions a bereavement (the language model asked for a human)"));
        Assert.That(note, Does.Contain("Summary of the thread:"), "short thread: the extractive summary");
        Assert.That(note, Does.Not.Contain("--- Draft ---"));
    }

    [Test]
    public async Task LongThread_ModelSummaryInTheNote()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Refunds take 5 to 10 business days. [1]", [1]));
        var ticket = _zendesk.AddTicket(6007, "Refund for my returned jacket", "I returned the jacket. When will the refund reach my card?");
        ticket.AddComment(FakeZendesk.AgentId, "We received it, thanks.", true);
        ticket.AddComment(FakeZendesk.CustomerId, "I already waited a week, still nothing.", true);
        ticket.AddComment(FakeZendesk.AgentId, "Let me check.", true);
        ticket.AddComment(FakeZendesk.CustomerId, "Any news on the refund to my card?", true);

        var (note, detail) = await WrittenAsync(6007, "evt-llm-long");

        Assert.That(note, Does.Contain("Summary of the thread (written by the language model):").And.Contain("MODEL-SUMMARY: refund not received"));
        Assert.That(detail["trace"]!["model"]!["prompt_version"]!.GetValue<string>(), Does.Contain("summary-v1"));
        Assert.That(_openAi.ChatRequests(FakeOpenAi.SummarySchema), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TicketWithPii_NoRawValueInAnyRequestToTheModel()
    {
        string[] planted = ["maria.lopez@example.org", "+44 7700 900123", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00", "123-45-6789", "s3cr3tT0ken9"];
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Refunds take 5 to 10 business days. [1]", [1]));
        _zendesk.AddTicket(6008, "Refund to card 4111 1111 1111 1111 for maria.lopez@example.org",
            "When will the refund reach my card? Call +44 7700 900123. IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789, https://shop.example.com/a?token=s3cr3tT0ken9");

        await WrittenAsync(6008, "evt-llm-pii");

        var bodies = _openAi.Requests.Select(r => r.Body).ToList();
        Assert.That(bodies, Has.Count.GreaterThanOrEqualTo(2), "classification and draft were asked");
        Assert.That(bodies, Has.Some.Contains("[EMAIL_1]").And.Some.Contains("[CARD_1]"), "the model saw the redacted ticket");
        foreach (var value in planted)
            Assert.That(bodies, Has.None.Contains(value), $"a model request holds {value}");
        Assert.That(bodies, Has.None.Contains("4111111111111111").And.None.Contains("lopez"));
    }

    [Test]
    public async Task NoModelConfigured_OfflineDraftAndNoModelInTheTrace()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        await host.Service<KnowledgeIndex>().UpsertAsync(new KnowledgeArticle("test", "en-refunds", "How refunds work", "https://help.example.com/en/refunds",
            [new ArticleSection("How refunds work", "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")]), CancellationToken.None);
        var ticket = zendesk.AddTicket(6009, "Refund for my returned jacket", "I sent the jacket back last month.");
        ticket.AddComment(FakeZendesk.AgentId, "Thanks, we will check with the warehouse.", true);
        ticket.AddComment(FakeZendesk.CustomerId, "I already asked twice, still nothing.", true);
        ticket.AddComment(FakeZendesk.AgentId, "The warehouse confirms it arrived.", true);
        ticket.AddComment(FakeZendesk.CustomerId, "The warehouse received the returned item. When will the refund reach my card?", true);

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-offline", 6009)))) { }
        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(6009)), p => p.Count >= 1, because: "the note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        var id = (await host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=6009"))!["items"]![0]!["id"]!.GetValue<string>();
        var detail = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}"))!;

        Assert.That(note, Does.Contain("no language model is configured").And.Contain("5 to 10 business days after the warehouse receives the returned item. [1]"));
        Assert.That(note, Does.Contain("Summary of the thread:").And.Contain("Customer: I already asked twice, still nothing."), "a long thread gets the extractive summary");
        Assert.That(note, Does.Not.Contain("written by the language model"));
        Assert.That(detail["trace"]!["drafter"]!.GetValue<string>(), Is.EqualTo("offline-extractive/v1"));
        Assert.That(detail["trace"]!["model"], Is.Null);
        Assert.That(_openAi.Requests, Is.Empty);
    }

    [Test]
    public async Task BrandedTicket_DraftsFromItsBrandsArticlesByIdOrName_NotAnotherBrands()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.Brands[360002256672] = "Acme";
        var index = host.Service<KnowledgeIndex>();
        async Task Add(string id, string? brand, string text) => await index.UpsertAsync(new KnowledgeArticle("test", id, id, $"https://help.example.com/{id}",
            [new ArticleSection(id, text)]) { Brand = brand }, CancellationToken.None);
        await Add("acme-by-id", "360002256672", "Warranty claims for Acme kettles: send the serial number and the receipt.");
        await Add("acme-by-name", "Acme", "Warranty claims for kettles are answered within two days.");
        await Add("globex", "Globex", "Warranty claims for Globex kettles go to the store.");
        zendesk.AddTicket(6010, "Warranty claim for my kettle", "How do I make a warranty claim for my kettle?").BrandId = 360002256672;

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-brand", 6010)))) { }
        await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(6010)), p => p.Count >= 1, because: "the note");
        var id = (await host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions?ticket=6010"))!["items"]![0]!["id"]!.GetValue<string>();
        var detail = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}"))!;

        var sources = detail["trace"]!["sources"]!.AsArray().Select(s => s!["title"]!.GetValue<string>()).ToList();
        Assert.That(sources, Does.Contain("acme-by-id").And.Contain("acme-by-name"), "the ticket's brand by id (as the policy names it) and by name");
        Assert.That(sources, Does.Not.Contain("globex"));
    }

    private static JsonNode Guardrail(JsonObject detail, string name) =>
        detail["trace"]!["guardrails"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == name)!;

    private async Task<(string Note, JsonObject Detail)> WrittenAsync(long ticketId, string eventId)
    {
        using (await _host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticketId)))) { }
        var puts = await Eventually.GetAsync(() => Task.FromResult(_zendesk.Puts(ticketId)), p => p.Count >= 1, because: $"the note on {ticketId}");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        var list = await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}");
        var id = list!["items"]![0]!["id"]!.GetValue<string>();
        return (note, (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}"))!);
    }
}
