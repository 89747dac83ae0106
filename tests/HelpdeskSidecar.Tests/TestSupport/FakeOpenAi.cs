using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback OpenAI-compatible server: <c>POST /v1/embeddings</c> answering in the spec's CreateEmbeddingResponse shape
/// (object, model, data[].{object,index,embedding}, usage) with a deterministic vector per text (<see cref="VectorFor"/>).
/// The data items come back in reverse order (the index field is what ties them to inputs). <c>POST /v1/chat/completions</c>
/// answers in the CreateChatCompletionResponse shape with what the test scripted for the request's JSON-schema name
/// (<see cref="OnChat"/>). Records every request.
/// </summary>
public sealed partial class FakeOpenAi : IAsyncDisposable
{
    public const int Dimensions = 6;

    private readonly WebApplication _app;

    private FakeOpenAi(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    public ConcurrentQueue<(string Path, string Body, string Authorization)> Requests { get; } = new();

    public static async Task<FakeOpenAi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOpenAi(app);
        app.MapPost("/v1/embeddings", async (HttpRequest request) =>
        {
            var text = await new StreamReader(request.Body).ReadToEndAsync();
            fake.Requests.Enqueue((request.Path, text, request.Headers.Authorization.ToString()));
            var body = JsonNode.Parse(text)!.AsObject();
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
            return Results.Json(new JsonObject
            {
                ["object"] = "list",
                ["model"] = (string)body["model"]!,
                ["data"] = data,
                ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
            });
        });
        app.MapPost("/v1/chat/completions", (HttpRequest request) => fake.ChatAsync(request));
        await app.StartAsync();
        return fake;
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
