using System.Text.Json.Nodes;
using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Copilot.Classification;

/// <summary>Issue 5's model path: labels from the learned taxonomy only, the offline readers as the fallback, the trace says which answered.</summary>
[TestFixture]
public sealed class LlmTicketClassifierTests
{
    private FakeOpenAi _fake = null!;
    private TempDirectory _temp = null!;
    private ClassifierHost _classifiers = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _fake = await FakeOpenAi.StartAsync();
        _temp = new TempDirectory();
        var database = _temp.Database();
        var history = new HistoryStore(database, TimeProvider.System);
        await history.ImportAsync("test", IntentClassifierTests.History(), CancellationToken.None);
        _classifiers = new ClassifierHost(history, TimeProvider.System, NullLogger<ClassifierHost>.Instance);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _classifiers.Dispose();
        await _fake.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<(TicketUnderstanding Understanding, ModelLedger Ledger, LlmOptions Options)> ReadAsync(string text, bool askModel = true)
    {
        using var stack = new ModelStack(_fake);
        var reader = new TicketReader(_classifiers, new LlmTicketClassifier(stack.Chat));
        var ledger = new ModelLedger();
        var understanding = await reader.ReadAsync(text, new RedactionMap(), ledger, askModel, CancellationToken.None);
        return (understanding, ledger, stack.Options);
    }

    [Test]
    public async Task ReadAsync_ModelAnswers_LabelsAreTheModelsAndTheSchemaEnumeratesTheTaxonomy()
    {
        _fake.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = "parcel_late", tags = new[] { "delivery" }, sentiment = "negative", urgency = "high", confidence = 0.8 }));

        var (understanding, ledger, options) = await ReadAsync("My package is late and I am very angry, it is urgent");

        var schema = _fake.ChatRequests(FakeOpenAi.LabelsSchema).Single()["response_format"]!["json_schema"]!["schema"]!;
        Assert.Multiple(() =>
        {
            Assert.That(schema["properties"]!["intent"]!["enum"]!.AsArray().Select(e => (string?)e),
                Is.EquivalentTo(new[] { "refund_status", "login_problem", "parcel_late", null }));
            Assert.That(schema["properties"]!["tags"]!["items"]!["enum"]!.AsArray().Select(e => (string?)e),
                Is.EquivalentTo(new[] { "refund", "returns", "account", "app", "delivery" }));
            Assert.That(understanding.Intent, Is.EqualTo(new LabelScore("parcel_late", 0.8)));
            Assert.That(understanding.Tags.Select(t => t.Label), Is.EqualTo(new[] { "delivery" }));
            Assert.That(understanding.Sentiment!.Level, Is.EqualTo("negative"));
            Assert.That(understanding.Urgency!.Level, Is.EqualTo("high"));
            Assert.That(understanding.Urgency.Triggers, Does.Contain("urgent"), "the lexicon still says why");
            Assert.That(understanding.Classifier, Is.EqualTo("llm:classify-v1"));
            Assert.That(ledger.ToTrace(options)!.PromptVersion, Is.EqualTo("classify-v1"));
        });
    }

    [TestCase("""{"intent": "vip_upgrade", "tags": [], "sentiment": "neutral", "urgency": "low", "confidence": 0.9}""", "'intent' is not one of the known intents")]
    [TestCase("""{"intent": "parcel_late", "tags": ["vip"], "sentiment": "neutral", "urgency": "low", "confidence": 0.9}""", "'tags' holds a tag that is not in the taxonomy")]
    [TestCase("""{"intent": "parcel_late", "tags": [], "sentiment": "ecstatic", "urgency": "low", "confidence": 0.9}""", "'sentiment' must be one of negative, neutral, positive")]
    [TestCase("not json", null)]
    public async Task ReadAsync_AnswerOutsideTheTaxonomyOrBroken_OfflineLabelsStand(string content, string? mismatch)
    {
        _fake.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Text(content));

        var (understanding, ledger, options) = await ReadAsync("When will I get my money back for the returned jacket");

        Assert.That(understanding.Intent!.Label, Is.EqualTo("refund_status"));
        Assert.That(understanding.Classifier, Does.StartWith(IntentClassifier.Version));
        Assert.That(ledger.ToTrace(options)!.Fallback, Is.EqualTo(mismatch is null ? "classify: invalid JSON" : $"classify: schema mismatch: {mismatch}"));
    }

    [Test]
    public async Task ReadAsync_NotToAskTheModel_NoRequestAndOfflineLabels()
    {
        _fake.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = "parcel_late", tags = Array.Empty<string>(), sentiment = "neutral", urgency = "low", confidence = 0.9 }));

        var (understanding, ledger, options) = await ReadAsync("When will I get my money back for the returned jacket", askModel: false);

        Assert.That(_fake.ChatRequests(), Is.Empty);
        Assert.That(understanding.Intent!.Label, Is.EqualTo("refund_status"));
        Assert.That(ledger.ToTrace(options), Is.Null);
    }

    [Test]
    public async Task EveryCopilotPrompt_RequestBodies_ValidateAgainstOpenAiSpec()
    {
        var contract = OpenAiChatContract.TryLoad();
        if (contract is null)
            Assert.Ignore("OpenAI contract not found: shared/contracts/openai/openapi.yaml is not shipped with the repository.");
        _fake.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = (string?)null, tags = Array.Empty<string>(), sentiment = "neutral", urgency = "low", confidence = 0.9 }));
        _fake.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Refunds take 5 days. [1]", [1]));
        _fake.OnChat(FakeOpenAi.SummarySchema, ChatBehaviour.Json(new { problem = "p", tried = new[] { "t" }, next_step = "n" }));
        using var stack = new ModelStack(_fake);
        var ledger = new ModelLedger();
        var comments = Enumerable.Range(0, 6).Select(i => new HelpdeskComment($"c{i}", "u1", i % 2 == 0 ? AuthorRole.EndUser : AuthorRole.Agent, true, $"Message {i} about the refund", DateTimeOffset.UnixEpoch)).ToList();
        var ticket = new HelpdeskTicket("zendesk", "1", "Refund", "Refund please", "open", [], null, "web", "u1", null, "en", comments);

        await new LlmTicketClassifier(stack.Chat).ReadAsync("Where is my refund", new Taxonomy(["refund_status"], ["refund"]), ledger, CancellationToken.None);
        await new LlmTicketClassifier(stack.Chat).ReadAsync("Where is my refund", new Taxonomy([], []), ledger, CancellationToken.None);
        await new LlmDrafter(stack.Chat, stack.Wrapped).DraftAsync(new DraftInput(ticket, ["refund"],
            [new KnowledgeHit(1, 1, "Refunds", "https://help.example.com/r", "Refunds", "Refunds take 5 days.", 1, ["refund"])], "en"), ledger, CancellationToken.None);
        await new LlmThreadSummarizer(stack.Chat, Options.Create(new SidecarOptions { Copilot = new CopilotOptions { SummarizeAfterMessages = 2 } })).SummarizeAsync(ticket, ledger, CancellationToken.None);

        Assert.That(_fake.ChatRequests().Select(FakeOpenAi.SchemaNameOf), Is.EqualTo(new[] { "ticket_labels", "ticket_labels", "support_draft", "thread_summary" }));
        Assert.That(ledger.Calls.Where(c => c.Failure is not null), Is.Empty);
        Assert.That(_fake.Requests.SelectMany(r => contract!.ValidateRequest(r.Body)), Is.Empty);
    }
}
