using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback OpenAI-compatible server (WireMock on 127.0.0.1): <c>POST /v1/embeddings</c> answering in the spec's
/// CreateEmbeddingResponse shape (object, model, data[].{object,index,embedding}, usage) with a deterministic vector per
/// text (<see cref="VectorFor"/>). The data items come back in reverse order (the index field is what ties them to
/// inputs). <c>POST /v1/chat/completions</c> answers in the CreateChatCompletionResponse shape with what the test scripted
/// for the request's JSON-schema name (<see cref="OnChat"/>). <see cref="Requests"/> is WireMock's request log.
/// </summary>
public sealed partial class FakeOpenAi : IAsyncDisposable
{
    public const int Dimensions = 6;

    private readonly WireMockLoopback _server = new();

    /// <summary>Ends the scripted delays of answers still being given when the fake stops.</summary>
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Chat requests as they arrive: WireMock logs a request once it is answered, and a test may look while a slow
    /// scripted answer is still being given (e.g. after the client timed out).
    /// </summary>
    private readonly ConcurrentQueue<IRequestMessage> _arrived = new();

    private FakeOpenAi()
    {
        _server.Map("POST", "^/v1/embeddings$", Embeddings);
        _server.Map("POST", "^/v1/chat/completions$", ChatAsync);
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>Every request received so far, oldest first: WireMock's request log and the chat requests still being answered.</summary>
    public IReadOnlyList<(string Path, string Body, string Authorization)> Requests
    {
        get
        {
            var logged = _server.Log();
            return logged.Concat(_arrived.Where(r => !logged.Contains(r)))
                .OrderBy(r => r.DateTime)
                .Select(r => (r.Path, r.Body ?? "", WireMockLoopback.Authorization(r)))
                .ToList();
        }
    }

    public static Task<FakeOpenAi> StartAsync() => Task.FromResult(new FakeOpenAi());

    private static IResponseMessage Embeddings(IRequestMessage request)
    {
        var body = WireMockLoopback.BodyJson(request)!.AsObject();
        var inputs = body["input"] is JsonArray array ? array.Select(i => (string)i!).ToList() : [(string)body["input"]!];
        var base64 = (string?)body["encoding_format"] == "base64";
        var data = new JsonArray();
        for (var i = inputs.Count - 1; i >= 0; i--)
        {
            var vector = VectorFor(inputs[i]);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()))
                : new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        var tokens = inputs.Sum(TokensFor);
        return WireMockLoopback.Json(new JsonObject
        {
            ["object"] = "list",
            ["model"] = (string)body["model"]!,
            ["data"] = data,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        });
    }

    /// <summary>A deterministic vector: letter counts folded into <see cref="Dimensions"/> buckets, plus the length.</summary>
    public static float[] VectorFor(string text)
    {
        var vector = new float[Dimensions];
        foreach (var c in text.ToLowerInvariant().Where(char.IsLetter))
            vector[c % (Dimensions - 1)] += 1;
        vector[Dimensions - 1] = text.Length;
        return vector;
    }

    public static int TokensFor(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _server.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
