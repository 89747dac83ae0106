using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.Language;

/// <summary>
/// Issue 16 item 6, the language half, through the real host (signed webhook → Hangfire → pipeline → note on a loopback
/// Zendesk) with a loopback OpenAI-compatible model: a German ticket against an English-only knowledge base is translated
/// (redacted) for retrieval, the draft prompt asks for German and for the sources as they are; offline, the gap note
/// names the language.
/// </summary>
public class ForeignLanguageTicketTests
{
    private const string Email = "hans.mueller@example.de";
    private const string Phone = "+49 151 23456789";
    private const string RefundsUrl = "https://help.example.com/en/refunds";
    private const string PasswordUrl = "https://help.example.com/en/password";
    private const string ShippingUrl = "https://help.example.com/en/shipping";

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
                openAi.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = (string?)null, tags = Array.Empty<string>(), sentiment = "neutral", urgency = "low", confidence = 0.8 }));
                openAi.OnChat(FakeOpenAi.SummarySchema, ChatBehaviour.Json(new { problem = "refund not received", tried = Array.Empty<string>(), next_step = "Check the refund." }));
            })
            .InLiveMode()
            .With("Sidecar:Llm:ApiKey=sk-e2e", "Sidecar:Llm:Timeout=00:00:02")
            .StartAsync();
        (_zendesk, _openAi, _host) = (_scenario.Zendesk, _scenario.OpenAi, _scenario.Host);
        await AddEnglishArticlesAsync(_host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task GermanTicketEnglishKb_RedactedQuestionTranslated_RetrievesTheEnglishArticle_DraftAskedInGerman()
    {
        _openAi.OnChat(FakeOpenAi.TranslationSchema, ChatBehaviour.Json(new { translation = "Refund for my jacket. I returned the jacket last week. When does the refund reach my card?" }));
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Hallo, die Rückerstattung erreicht Ihre Karte innerhalb von 5 bis 10 Werktagen. [1]", [1]));
        AddGermanTicket(7001);

        var (note, detail) = await WrittenAsync(7001, "evt-lang-de");

        var translation = _openAi.ChatRequests(FakeOpenAi.TranslationSchema).Single();
        var asked = FakeOpenAi.PromptOf(translation);
        Assert.That(asked, Does.Contain("from German into English").And.Contain("Wann kommt die Rückerstattung auf meine Karte"));
        Assert.That(asked, Does.Not.Contain(Email).And.Not.Contain("mueller").And.Not.Contain("23456789"), "the translation request holds the redacted question only");

        var draftPrompt = (string)_openAi.ChatRequests(FakeOpenAi.DraftSchema).Single()["messages"]![1]!["content"]!;
        Assert.That(draftPrompt, Does.Contain("Write a reply to the customer in German."));
        Assert.That(draftPrompt, Does.Contain("The sources are in English").And.Contain("keep their titles and URLs exactly as listed"));
        Assert.That(draftPrompt, Does.Contain($"[1] How refunds work — {RefundsUrl}"), "retrieval with the translation puts the refunds article first");

        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("Draft"));
        Assert.That(note, Does.Contain("Hallo, die Rückerstattung erreicht Ihre Karte").And.Contain($"[1] How refunds work — {RefundsUrl}"));
        var trace = detail["trace"]!;
        Assert.Multiple(() =>
        {
            Assert.That(trace["understanding"]!["language"]!.GetValue<string>(), Is.EqualTo("de"));
            Assert.That(trace["translation"]!["from"]!.GetValue<string>(), Is.EqualTo("de"));
            Assert.That(trace["translation"]!["to"]!.GetValue<string>(), Is.EqualTo("en"));
            Assert.That(trace["translation"]!["used"]!.GetValue<bool>(), Is.True);
            Assert.That(trace["translation"]!["prompt"]!.GetValue<string>(), Is.EqualTo("translate-v1"));
            Assert.That(trace["sources"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()), Is.EqualTo(new[] { RefundsUrl }));
            Assert.That(trace["model"]!["prompt_version"]!.GetValue<string>(), Does.Contain("translate-v1").And.Contain("draft-v2"));
        });
    }

    [Test]
    public async Task GermanTicket_RetrievalFollowsTheTranslationNotTheOriginal()
    {
        // A translation about delivery times: if retrieval used it, the shipping article is source 1 although the German ticket is about a refund.
        _openAi.OnChat(FakeOpenAi.TranslationSchema, ChatBehaviour.Json(new { translation = "How long does standard shipping take to deliver my parcel?" }));
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Hallo, der Versand dauert 3 bis 5 Werktage. [1]", [1]));
        AddGermanTicket(7002);

        await WrittenAsync(7002, "evt-lang-follow");

        var draftPrompt = (string)_openAi.ChatRequests(FakeOpenAi.DraftSchema).Single()["messages"]![1]!["content"]!;
        Assert.That(draftPrompt, Does.Contain($"[1] Shipping times — {ShippingUrl}"));
    }

    [Test]
    public async Task TranslationFails_RetrievesWithTheOriginalAndTheTraceSaysSo()
    {
        _openAi.OnChat(FakeOpenAi.TranslationSchema, ChatBehaviour.Fail(400));
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Hallo, die Rückerstattung erreicht Ihre Karte innerhalb von 5 bis 10 Werktagen. [1]", [1]));
        AddGermanTicket(7003);

        var (_, detail) = await WrittenAsync(7003, "evt-lang-fail");

        var translation = detail["trace"]!["translation"]!;
        Assert.That(translation["used"]!.GetValue<bool>(), Is.False);
        Assert.That(translation["failure"]!.GetValue<string>(), Does.Contain("retrieved with the original").And.Contain("HTTP 400"));
        Assert.That(_openAi.ChatRequests(FakeOpenAi.DraftSchema).Select(r => (string)r["messages"]![1]!["content"]!),
            Has.None.Contains("The sources are in English"), "without a translation the prompt does not claim the sources were searched in English");
    }

    [Test]
    public async Task EnglishTicket_NoTranslationRequest()
    {
        _openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Refunds reach your card within 5 to 10 business days. [1]", [1]));
        _zendesk.AddTicket(7004, "Refund for my jacket", "I returned the jacket last week. When does the refund reach my card?");

        var (_, detail) = await WrittenAsync(7004, "evt-lang-en");

        Assert.That(_openAi.ChatRequests(FakeOpenAi.TranslationSchema), Is.Empty);
        Assert.That(detail["trace"]!["translation"], Is.Null);
    }

    [Test]
    public async Task NoModel_GermanTicketEnglishKb_GapNoteNamesTheLanguage()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().StartAsync();
        await AddEnglishArticlesAsync(scenario.Host);
        scenario.Zendesk.AddTicket(7005, "Rückerstattung für meine Jacke",
            $"Hallo, ich habe die Jacke letzte Woche zurückgeschickt. Wann kommt die Rückerstattung auf meine Karte? Schreiben Sie mir an {Email}.");

        var (note, detail) = await WrittenAsync(scenario, 7005, "evt-lang-offline");

        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("KnowledgeGap"));
        Assert.That(note, Does.Contain("The customer wrote in German; the knowledge base has English articles only."));
        Assert.That(detail["trace"]!["translation"], Is.Null);
    }

    private void AddGermanTicket(long id) => _zendesk.AddTicket(id, "Rückerstattung für meine Jacke",
        $"Hallo, ich habe die Jacke letzte Woche zurückgeschickt. Wann kommt die Rückerstattung auf meine Karte? Schreiben Sie mir an {Email} oder rufen Sie {Phone} an.");

    private static async Task AddEnglishArticlesAsync(SidecarTestHost host)
    {
        var index = host.Service<KnowledgeIndex>();
        await index.UpsertAsync(new KnowledgeArticle("test", "en-refunds", "How refunds work", RefundsUrl,
            [new ArticleSection("How refunds work", "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")]), CancellationToken.None);
        await index.UpsertAsync(new KnowledgeArticle("test", "en-password", "How to reset your password", PasswordUrl,
            [new ArticleSection("How to reset your password", "To reset your password, open the sign-in page and choose Forgot password. The reset link in the email works for one hour.")]), CancellationToken.None);
        await index.UpsertAsync(new KnowledgeArticle("test", "en-shipping", "Shipping times", ShippingUrl,
            [new ArticleSection("Shipping times", "Standard shipping delivers your parcel within 3 to 5 business days; express shipping takes one day.")]), CancellationToken.None);
    }

    private Task<(string Note, JsonObject Detail)> WrittenAsync(long ticketId, string eventId) => WrittenAsync(_scenario, ticketId, eventId);

    private static async Task<(string Note, JsonObject Detail)> WrittenAsync(SidecarScenario scenario, long ticketId, string eventId)
    {
        var host = scenario.Host;
        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticketId)))) { }
        var puts = await Eventually.GetAsync(() => Task.FromResult(scenario.Zendesk.Puts(ticketId)), p => p.Count >= 1, because: $"the note on {ticketId}");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        var list = await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}");
        var id = list!["items"]![0]!["id"]!.GetValue<string>();
        return (note, (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}"))!);
    }
}
