using System.Text.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.Ai;

[TestFixture]
public sealed class OpenAiChatClientTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}
        """).RootElement;

    private static ChatOptions JsonOptions() => new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "test_answer"), Temperature = 0 };

    private static List<ChatMessage> Messages() => [new(ChatRole.System, "You answer in JSON."), new(ChatRole.User, "<ticket>Where is my parcel?</ticket>")];

    [Test]
    public async Task GetResponseAsync_JsonSchema_PostsStrictSchemaAndReturnsTextAndUsage()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Json(new { answer = "in transit" }));
        using var stack = new ModelStack(fake);

        var response = await stack.Client.GetResponseAsync(Messages(), JsonOptions());

        var request = fake.Requests.Single();
        var body = JsonNode.Parse(request.Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/v1/chat/completions"));
            Assert.That(request.Authorization, Is.EqualTo("Bearer sk-test-chat"));
            Assert.That((string?)body["model"], Is.EqualTo("gpt-test-mini"));
            Assert.That(body["messages"]!.AsArray().Select(m => (string?)m!["role"]), Is.EqualTo(new[] { "system", "user" }));
            Assert.That((string?)body["messages"]![1]!["content"], Is.EqualTo("<ticket>Where is my parcel?</ticket>"));
            Assert.That((string?)body["response_format"]!["type"], Is.EqualTo("json_schema"));
            Assert.That((bool?)body["response_format"]!["json_schema"]!["strict"], Is.True);
            Assert.That(body["response_format"]!["json_schema"]!["schema"]!["required"]!.AsArray().Select(r => (string?)r), Is.EqualTo(new[] { "answer" }));
            Assert.That(response.Text, Is.EqualTo("""{"answer":"in transit"}"""));
            Assert.That(response.ModelId, Is.EqualTo("gpt-test-mini"));
            Assert.That(response.Usage?.InputTokenCount, Is.EqualTo(FakeOpenAi.TokensFor("You answer in JSON.\n<ticket>Where is my parcel?</ticket>")));
            Assert.That(response.Usage?.OutputTokenCount, Is.EqualTo(FakeOpenAi.TokensFor("""{"answer":"in transit"}""")));
        });
    }

    [Test]
    public async Task GetResponseAsync_LoggingAndTelemetryAtTrace_RecordTheCallButNeverTheTicketText()
    {
        const string Marker = "Zebrafish-7731 parcel";
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Json(new { answer = Marker }));
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new LineLoggerProvider(lines)));
        var activities = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == OpenAiModels.TelemetrySource,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var http = new HttpClient();
        var options = new LlmOptions { BaseUrl = fake.BaseUrl + "/v1", ChatModel = "gpt-test-mini" };

        var response = await OpenAiModels.Chat(http, options, loggers).GetResponseAsync(
            [new(ChatRole.System, "You answer in JSON."), new(ChatRole.User, $"<ticket>{Marker}</ticket>")], JsonOptions());

        Assert.That(response.Text, Does.Contain(Marker), "the answer came back");
        var call = activities.Single();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Is.Not.Empty, "the middleware logs the call");
            Assert.That(lines, Has.None.Contains("Zebrafish"), "no prompt or answer text in the logs, even at Trace");
            Assert.That(call.GetTagItem("gen_ai.request.model"), Is.EqualTo("gpt-test-mini"));
            Assert.That(call.TagObjects.Select(t => t.Value?.ToString() ?? ""), Has.None.Contains("Zebrafish"), "no content in the span");
        });
    }

    [Test]
    public async Task GetResponseAsync_429WithRetryAfterThenSuccess_RetriesAndAnswers()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Fail(429, retryAfter: "1"), ChatBehaviour.Json(new { answer = "ok" }));
        using var stack = new ModelStack(fake);

        var response = await stack.Client.GetResponseAsync(Messages(), JsonOptions());

        Assert.That(response.Text, Does.Contain("ok"));
        Assert.That(fake.ChatRequests(), Has.Count.EqualTo(2));
        var received = fake.Requests.Select(r => r.Body).ToList();
        Assert.That(received[1], Is.EqualTo(received[0]), "the retry sends the same body");
    }

    [Test]
    public async Task GetResponseAsync_500ThenSuccess_RetriedBecauseACompletionChangesNothing()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Fail(500), ChatBehaviour.Json(new { answer = "ok" }));
        using var stack = new ModelStack(fake);

        var response = await stack.Client.GetResponseAsync(Messages(), JsonOptions());

        Assert.That(response.Text, Does.Contain("ok"));
        Assert.That(fake.ChatRequests(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AskAsync_RetryAfterLongerThanTheInlineBound_FailsWithTheStatusInsteadOfWaiting()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Fail(429, retryAfter: "120"));
        using var stack = new ModelStack(fake);
        var ledger = new ModelLedger();

        var answer = await stack.Chat.AskAsync(new ModelQuestion("test", "test-v1", "sys", "user", "test_answer", Schema), j => j.ToString(), ledger, CancellationToken.None);

        Assert.That(answer.Failure, Is.EqualTo("HTTP 429"));
        Assert.That(fake.ChatRequests(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AskAsync_ModelSlowerThanTheTimeout_FailsAsTimeoutWithoutRetrying()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Slow(TimeSpan.FromSeconds(30), new { answer = "late" }));
        using var stack = new ModelStack(fake, timeout: TimeSpan.FromMilliseconds(300));
        var ledger = new ModelLedger();

        var answer = await stack.Chat.AskAsync(new ModelQuestion("test", "test-v1", "sys", "user", "test_answer", Schema), j => j.ToString(), ledger, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Succeeded, Is.False);
            Assert.That(answer.Failure, Is.EqualTo("timeout"));
            Assert.That(fake.ChatRequests(), Has.Count.EqualTo(1));
            Assert.That(ledger.ToTrace(stack.Options)!.Fallback, Is.EqualTo("test: timeout"));
        });
    }

    [Test]
    public async Task AskAsync_Answers_LedgerSumsTokensAndCost()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Json(new { answer = "one two three" }));
        using var stack = new ModelStack(fake);
        var ledger = new ModelLedger();
        var question = new ModelQuestion("test", "test-v1", "sys prompt", "user prompt here", "test_answer", Schema);

        await stack.Chat.AskAsync(question, j => j.ToString(), ledger, CancellationToken.None);
        await stack.Chat.AskAsync(question with { Purpose = "again", PromptVersion = "test-v2" }, j => j.ToString(), ledger, CancellationToken.None);

        var trace = ledger.ToTrace(stack.Options)!;
        var input = 2 * FakeOpenAi.TokensFor("sys prompt\nuser prompt here");
        var output = 2 * FakeOpenAi.TokensFor("""{"answer":"one two three"}""");
        Assert.Multiple(() =>
        {
            Assert.That(trace.Calls, Is.EqualTo(2));
            Assert.That(trace.InputTokens, Is.EqualTo(input));
            Assert.That(trace.OutputTokens, Is.EqualTo(output));
            Assert.That(trace.CostUsd, Is.EqualTo(Math.Round((input * 0.15m + output * 0.60m) / 1_000_000m, 6)));
            Assert.That(trace.PromptVersion, Is.EqualTo("test-v1+test-v2"));
            Assert.That(trace.Model, Is.EqualTo("gpt-test-mini"));
            Assert.That(trace.Fallback, Is.Null);
            Assert.That(trace.LatencyMs, Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task GetResponseAsync_Requests_ValidateAgainstOpenAiSpec()
    {
        var contract = OpenAiChatContract.TryLoad();
        if (contract is null)
            Assert.Ignore("OpenAI contract not found: shared/contracts/openai/openapi.yaml is not shipped with the repository.");
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Json(new { answer = "x" }));
        fake.OnChat("", ChatBehaviour.Json(new { answer = "x" })); // json_object mode has no schema name
        using var stack = new ModelStack(fake);
        await stack.Client.GetResponseAsync(Messages(), JsonOptions());
        await stack.Client.GetResponseAsync(Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.That(fake.Requests, Has.Count.EqualTo(2));
        Assert.That(fake.Requests.SelectMany(r => contract!.ValidateRequest(r.Body)), Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(contract!.ValidateRequest("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "temprature": 0}"""), Is.Not.Empty, "negative control: undeclared property");
            Assert.That(contract.ValidateRequest("""{"model": "m", "messages": []}"""), Is.Not.Empty, "negative control: no messages");
            Assert.That(contract.ValidateRequest("""{"model": "m", "messages": [{"role": "robot", "content": "hi"}]}"""), Is.Not.Empty, "negative control: role");
            Assert.That(contract.ValidateRequest("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 3}"""), Is.Not.Empty, "negative control: temperature range");
            Assert.That(contract.ValidateRequest("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_schema", "json_schema": {"schema": {}}}}"""), Is.Not.Empty, "negative control: json_schema without name");
            Assert.That(contract.ValidateRequest("""{"model": "m", "messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_schema", "json_schema": {"name": "has space"}}}"""), Is.Not.Empty, "negative control: name pattern");
            Assert.That(contract.ValidateRequest("""{"messages": [{"role": "user", "content": "hi"}]}"""), Is.Not.Empty, "negative control: model missing");
        });
    }

    [Test]
    public async Task FakeChatResponse_ValidatesAgainstOpenAiSpec()
    {
        var contract = OpenAiChatContract.TryLoad();
        if (contract is null)
            Assert.Ignore("OpenAI contract not found: shared/contracts/openai/openapi.yaml is not shipped with the repository.");
        await using var fake = await FakeOpenAi.StartAsync();
        fake.OnChat("test_answer", ChatBehaviour.Json(new { answer = "x" }));
        using var http = new HttpClient();
        using var content = new StringContent("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"test_answer","schema":{}}}}""",
            System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(fake.BaseUrl + "/v1/chat/completions", content);
        var json = await response.Content.ReadAsStringAsync();

        Assert.That(contract!.ValidateResponse(json), Is.Empty);
        Assert.That(contract.ValidateResponse("""{"id": "x", "object": "chat.completion", "created": 1, "model": "m"}"""), Is.Not.Empty, "negative control: choices missing");
    }

    [Test]
    public void AddAi_ChatModelSet_RegistersTheModelDrafterElseTheOfflineOne()
    {
        (IChatClient? Chat, object Drafter) Resolve(Dictionary<string, string?> settings)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.AddAi();
            global::HelpdeskSidecar.Copilot.CopilotExtensions.AddCopilot(builder);
            var services = builder.Build().Services;
            return (services.GetService<IChatClient>(), services.GetRequiredService<IDraftWriter>());
        }

        var configured = Resolve(new() { ["Sidecar:Llm:ChatModel"] = "llama3.1", ["Sidecar:Llm:BaseUrl"] = "http://127.0.0.1:9/v1" });
        var offline = Resolve([]);
        Assert.Multiple(() =>
        {
            Assert.That(configured.Chat?.GetService<ChatClientMetadata>()?.DefaultModelId, Is.EqualTo("llama3.1"));
            Assert.That(configured.Chat?.GetService<ChatClientMetadata>()?.ProviderUri, Is.EqualTo(new Uri("http://127.0.0.1:9/v1")));
            Assert.That(configured.Drafter, Is.TypeOf<LlmDrafter>());
            Assert.That(offline.Chat, Is.Null);
            Assert.That(offline.Drafter, Is.TypeOf<OfflineDraftWriter>());
        });
    }

    [TestCase("Sidecar:Llm:Timeout=00:00:00", "Sidecar:Llm:Timeout")]
    [TestCase("Sidecar:Llm:MinConfidence=1.5", "Sidecar:Llm:MinConfidence")]
    [TestCase("Sidecar:Llm:InputCostPerMillionTokens=-1", "Sidecar:Llm:InputCostPerMillionTokens")]
    [TestCase("Sidecar:Copilot:SummarizeAfterMessages=0", "Sidecar:Copilot:SummarizeAfterMessages")]
    public void Start_InvalidModelSetting_RefusedNamingTheKey(string setting, string key)
    {
        var ex = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await SidecarTestHost.StartAsync(["Sidecar:Llm:ChatModel=m", "Sidecar:Llm:BaseUrl=http://127.0.0.1:9/v1", setting]));

        Assert.That(ex!.Message, Does.Contain(key));
    }

    private sealed class LineLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new LineLogger(lines);

        public void Dispose()
        {
        }

        private sealed class LineLogger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
