using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// What the fake chat endpoint does with one request: answer with <see cref="Content"/> as the assistant message
/// (after <see cref="Delay"/>), or fail with <see cref="Status"/> and an optional <c>Retry-After</c>.
/// </summary>
public sealed record ChatBehaviour(int Status = 200, string? Content = null, TimeSpan Delay = default, string? RetryAfter = null)
{
    /// <summary>A JSON answer (serialized with the model's snake_case keys as given).</summary>
    public static ChatBehaviour Json(object answer) => new(Content: JsonSerializer.Serialize(answer));

    public static ChatBehaviour Text(string content) => new(Content: content);

    public static ChatBehaviour Slow(TimeSpan delay, object answer) => Json(answer) with { Delay = delay };

    public static ChatBehaviour Fail(int status, string? retryAfter = null) => new(status, RetryAfter: retryAfter);

    /// <summary>A good draft answer in the draft-v2 schema.</summary>
    public static ChatBehaviour Draft(string reply, int[] citations, double confidence = 0.9, bool needsHuman = false, string? humanReason = null) =>
        Json(new Dictionary<string, object?>
        {
            ["reply"] = reply, ["citations"] = citations, ["confidence"] = confidence, ["needs_human"] = needsHuman, ["human_reason"] = humanReason,
        });
}

public sealed partial class FakeOpenAi
{
    /// <summary>The schema names the sidecar's prompts use: draft-v2, summary-v1, classify-v1, translate-v1.</summary>
    public const string DraftSchema = "support_draft";
    public const string SummarySchema = "thread_summary";
    public const string LabelsSchema = "ticket_labels";
    public const string TranslationSchema = "query_translation";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<ChatBehaviour>> _scripts = new();
    private readonly ConcurrentDictionary<string, ChatBehaviour> _lasts = new();
    private readonly ConcurrentDictionary<string, Func<JsonObject, ChatBehaviour>> _responders = new();

    /// <summary>
    /// Scripts the answers to requests whose <c>response_format.json_schema.name</c> is <paramref name="schemaName"/>: in order,
    /// the last one repeating. An unscripted request gets 400 (not retried), so a test sees a call it did not expect.
    /// </summary>
    public void OnChat(string schemaName, params ChatBehaviour[] behaviours)
    {
        var queue = new ConcurrentQueue<ChatBehaviour>(behaviours);
        _scripts[schemaName] = queue;
        _lasts[schemaName] = behaviours[^1];
    }

    /// <summary>Answers requests for <paramref name="schemaName"/> by looking at each request (e.g. a model fooled by what the ticket says).</summary>
    public void OnChat(string schemaName, Func<JsonObject, ChatBehaviour> responder) => _responders[schemaName] = responder;

    /// <summary>The chat requests received, as parsed JSON, optionally only those for one schema name.</summary>
    public IReadOnlyList<JsonObject> ChatRequests(string? schemaName = null) => Requests
        .Where(r => r.Path == "/v1/chat/completions")
        .Select(r => JsonNode.Parse(r.Body)!.AsObject())
        .Where(b => schemaName is null || SchemaNameOf(b) == schemaName)
        .ToList();

    public static string? SchemaNameOf(JsonObject body) => (string?)body["response_format"]?["json_schema"]?["name"];

    /// <summary>The text of every message of a request, joined.</summary>
    public static string PromptOf(JsonObject body) =>
        string.Join("\n", body["messages"]!.AsArray().Select(m => m!["content"] is JsonValue v ? (string?)v : m!["content"]!.ToJsonString()));

    private async Task<IResponseMessage> ChatAsync(IRequestMessage request)
    {
        _arrived.Enqueue(request);
        var body = WireMockLoopback.BodyJson(request)!.AsObject();
        var name = SchemaNameOf(body) ?? "";
        ChatBehaviour behaviour;
        if (_responders.TryGetValue(name, out var responder))
            behaviour = responder(body);
        else if (_scripts.TryGetValue(name, out var queue))
            behaviour = queue.TryDequeue(out var next) ? next : _lasts[name];
        else
            return WireMockLoopback.Json(Error($"No answer scripted for schema '{name}'."), 400);
        if (behaviour.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(behaviour.Delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return WireMockLoopback.Empty(503);
            }
        }
        if (behaviour.Status != 200)
        {
            var failure = WireMockLoopback.Json(Error($"Scripted failure {behaviour.Status}."), behaviour.Status);
            if (behaviour.RetryAfter is not null)
                failure.AddHeader("Retry-After", behaviour.RetryAfter);
            return failure;
        }
        var content = behaviour.Content ?? "";
        var promptTokens = TokensFor(PromptOf(body));
        var completionTokens = TokensFor(content);
        return WireMockLoopback.Json(new JsonObject
        {
            ["id"] = $"chatcmpl-fake-{Requests.Count}",
            ["object"] = "chat.completion",
            ["created"] = 1_767_225_600,
            ["model"] = (string)body["model"]!,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
        });
    }

    private static JsonObject Error(string message) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = null } };
}
