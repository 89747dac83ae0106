using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback Qdrant: Kestrel on 127.0.0.1:0 that keeps collections in memory (with their metadata, merged on
/// update), evaluates payload filters (must/should/must_not, match value/any, is_empty, nested filters), answers
/// hybrid queries by ranking each prefetch (dense cosine; sparse dot product, times Qdrant's IDF when the sparse
/// vector has <c>modifier: idf</c>) and fusing them by reciprocal rank, and answers in the response shapes of the
/// v1.19 OpenAPI spec. Every request is recorded with its <c>api-key</c> header.
/// </summary>
public sealed class FakeQdrant : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeCollection> _collections = new(StringComparer.Ordinal);
    private long _operation;
    private readonly ConcurrentQueue<(int Status, string Error, string? RetryAfter)> _failures = new();

    /// <summary>The next <paramref name="times"/> requests (of any kind) fail with this status and Qdrant-shaped error.</summary>
    public void FailNext(int status, string error, string? retryAfter = null, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _failures.Enqueue((status, error, retryAfter));
    }

    private FakeQdrant(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    public ConcurrentQueue<QdrantRequest> Requests { get; } = new();

    /// <summary>Every response body sent, by request path, so tests can check them against the spec too.</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, int Status, string Body)> Responses { get; } = new();

    public IReadOnlyDictionary<string, FakeCollection> Collections => _collections;

    public static async Task<FakeQdrant> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeQdrant(app);
        app.Use(async (context, next) =>
        {
            if (fake._failures.TryDequeue(out var failure))
            {
                fake.Requests.Enqueue(new QdrantRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, null, context.Request.Headers["api-key"].ToString()));
                if (failure.RetryAfter is { } retryAfter)
                    context.Response.Headers.RetryAfter = retryAfter;
                await Results.Json(new JsonObject { ["status"] = new JsonObject { ["error"] = failure.Error }, ["time"] = 0.0001 }, statusCode: failure.Status).ExecuteAsync(context);
                return;
            }
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            fake.Requests.Enqueue(new QdrantRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                body.Length == 0 ? null : body, context.Request.Headers["api-key"].ToString()));
            await next();
        });
        app.MapGet("/collections/{name}/exists", (string name) => fake.Ok("GET", $"/collections/{name}/exists", new JsonObject { ["exists"] = fake._collections.ContainsKey(name) }));
        app.MapPut("/collections/{name}", (string name, JsonObject body) => fake.Create(name, body));
        app.MapGet("/collections/{name}", (string name, HttpRequest request) => fake.WithCollection("GET", request, name, c => c.Info()));
        app.MapPatch("/collections/{name}", (string name, HttpRequest request, JsonObject body) =>
            fake.WithCollection("PATCH", request, name, c => { c.Update(body); return JsonValue.Create(true); }));
        app.MapPut("/collections/{name}/index", (string name, HttpRequest request, JsonObject body) =>
            fake.WithCollection("PUT", request, name, c => { c.PayloadIndexes[(string)body["field_name"]!] = body["field_schema"]!.ToJsonString(); return fake.Completed(); }));
        app.MapPut("/collections/{name}/points", (string name, HttpRequest request, JsonObject body) =>
            fake.WithCollection("PUT", request, name, c => { c.Upsert(body); return fake.Completed(); }));
        app.MapPost("/collections/{name}/points/delete", (string name, HttpRequest request, JsonObject body) =>
            fake.WithCollection("POST", request, name, c => { c.Delete((JsonObject)body["filter"]!); return fake.Completed(); }));
        app.MapPost("/collections/{name}/points/query", (string name, HttpRequest request, JsonObject body) =>
            fake.WithCollection("POST", request, name, c => new JsonObject { ["points"] = c.Query(body) }));
        await app.StartAsync();
        return fake;
    }

    public IReadOnlyList<QdrantRequest> RequestsTo(string method, string pathPrefix) =>
        Requests.Where(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    private IResult Create(string name, JsonObject body)
    {
        _collections[name] = new FakeCollection(body);
        return Ok("PUT", $"/collections/{name}", JsonValue.Create(true));
    }

    private JsonObject Completed() => new() { ["operation_id"] = Interlocked.Increment(ref _operation), ["status"] = "completed" };

    private IResult WithCollection(string method, HttpRequest request, string name, Func<FakeCollection, JsonNode> action)
    {
        var path = request.Path + request.QueryString;
        if (!_collections.TryGetValue(name, out var collection))
        {
            var error = new JsonObject { ["status"] = new JsonObject { ["error"] = $"Not found: Collection `{name}` doesn't exist!" }, ["time"] = 0.0001 };
            Responses.Enqueue((method, path, 404, error.ToJsonString()));
            return Results.Json(error, statusCode: 404);
        }
        lock (collection)
            return Ok(method, path, action(collection));
    }

    private IResult Ok(string method, string path, JsonNode result)
    {
        var body = new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.0002 };
        Responses.Enqueue((method, path, 200, body.ToJsonString()));
        return Results.Json(body);
    }

    private bool _stopped;

    /// <summary>Stops listening, as a Qdrant that went down: connections to <see cref="BaseUrl"/> are refused from now on.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record QdrantRequest(string Method, string PathAndQuery, string? Body, string ApiKey);

/// <summary>One in-memory collection: its creation body, payload indexes and points.</summary>
public sealed class FakeCollection(JsonObject config)
{
    public JsonObject Config { get; } = config;

    public Dictionary<string, string> PayloadIndexes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (JsonObject Vector, JsonObject Payload)> Points { get; } = new(StringComparer.Ordinal);

    private long _version;

    public void Upsert(JsonObject body)
    {
        foreach (var point in body["points"]!.AsArray())
            Points[point!["id"]!.ToJsonString()] = ((JsonObject)point["vector"]!.DeepClone(), (JsonObject?)point["payload"]?.DeepClone() ?? []);
        _version++;
    }

    /// <summary>PATCH /collections/{name}: metadata keys merge into the existing ones, a null value removes its key (other settings are not modelled).</summary>
    public void Update(JsonObject body)
    {
        if (body["metadata"] is not JsonObject changes)
            return;
        if (Config["metadata"] is not JsonObject metadata)
            Config["metadata"] = metadata = [];
        foreach (var (key, value) in changes)
        {
            if (value is null)
                metadata.Remove(key);
            else
                metadata[key] = value.DeepClone();
        }
    }

    /// <summary>GET /collections/{name}: a CollectionInfo with the creation body's vectors and metadata, and fixed engine settings.</summary>
    public JsonObject Info()
    {
        var config = new JsonObject
        {
            ["params"] = new JsonObject { ["vectors"] = Config["vectors"]?.DeepClone(), ["sparse_vectors"] = Config["sparse_vectors"]?.DeepClone() },
            ["hnsw_config"] = new JsonObject { ["m"] = 16, ["ef_construct"] = 100, ["full_scan_threshold"] = 10000 },
            ["optimizer_config"] = new JsonObject { ["default_segment_number"] = 0, ["flush_interval_sec"] = 5 },
            ["wal_config"] = new JsonObject { ["wal_capacity_mb"] = 32, ["wal_segments_ahead"] = 0 },
        };
        if (Config["metadata"] is JsonObject metadata)
            config["metadata"] = metadata.DeepClone();
        var schema = new JsonObject();
        foreach (var (field, type) in PayloadIndexes)
            schema[field] = new JsonObject { ["data_type"] = JsonNode.Parse(type), ["points"] = Points.Values.Count(p => p.Payload[field] is not null) };
        return new JsonObject
        {
            ["status"] = "green",
            ["optimizer_status"] = "ok",
            ["points_count"] = Points.Count,
            ["segments_count"] = 1,
            ["config"] = config,
            ["payload_schema"] = schema,
        };
    }

    public void Delete(JsonObject filter)
    {
        foreach (var id in Points.Where(p => Matches(filter, p.Value.Payload)).Select(p => p.Key).ToList())
            Points.Remove(id);
        _version++;
    }

    public JsonArray Query(JsonObject body)
    {
        var filter = body["filter"] as JsonObject;
        var limit = (int?)body["limit"] ?? 10;
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var prefetch in body["prefetch"]?.AsArray() ?? [])
        {
            var inner = prefetch!["filter"] as JsonObject;
            var vectorName = (string)prefetch["using"]!;
            var idf = (string?)Config["sparse_vectors"]?[vectorName]?["modifier"] == "idf" ? InverseDocumentFrequencies(vectorName) : null;
            var ranked = Points
                .Where(p => (filter is null || Matches(filter, p.Value.Payload)) && (inner is null || Matches(inner, p.Value.Payload)) && p.Value.Vector[vectorName] is not null)
                .Select(p => (p.Key, Score: Similarity(prefetch["query"]!, p.Value.Vector[vectorName]!, idf)))
                .Where(p => p.Score > 0)
                .OrderByDescending(p => p.Score).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take((int?)prefetch["limit"] ?? 10).ToList();
            for (var i = 0; i < ranked.Count; i++)
                fused[ranked[i].Key] = fused.GetValueOrDefault(ranked[i].Key) + 1.0 / (60 + i + 1);
        }
        var points = new JsonArray();
        foreach (var (id, score) in fused.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(limit))
            points.Add(new JsonObject { ["id"] = JsonNode.Parse(id), ["version"] = _version, ["score"] = score });
        return points;
    }

    /// <summary>
    /// Qdrant's IDF for <c>modifier: idf</c>, over every point of the collection that has the vector (not only the
    /// filtered ones): ln(1 + (N − n + 0.5) / (n + 0.5)), n the points holding the index.
    /// </summary>
    private Dictionary<long, double> InverseDocumentFrequencies(string vectorName)
    {
        var vectors = Points.Values.Select(p => p.Vector[vectorName]).OfType<JsonObject>().ToList();
        var counts = vectors.SelectMany(v => v["indices"]!.AsArray().Select(i => (long)i!)).CountBy(i => i);
        return counts.ToDictionary(c => c.Key, c => Math.Log(1 + (vectors.Count - c.Value + 0.5) / (c.Value + 0.5)));
    }

    private static double Similarity(JsonNode query, JsonNode vector, Dictionary<long, double>? idf)
    {
        if (query is JsonArray dense)
        {
            var a = dense.Select(v => (double)v!).ToArray();
            var b = vector.AsArray().Select(v => (double)v!).ToArray();
            double dot = 0, na = 0, nb = 0;
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
        }
        var weights = vector["indices"]!.AsArray().Select(i => (long)i!).Zip(vector["values"]!.AsArray().Select(v => (double)v!)).ToDictionary(p => p.First, p => p.Second);
        return query["indices"]!.AsArray().Select(i => (long)i!).Zip(query["values"]!.AsArray().Select(v => (double)v!))
            .Sum(p => weights.GetValueOrDefault(p.First) * p.Second * (idf is null ? 1 : idf.GetValueOrDefault(p.First)));
    }

    internal static bool Matches(JsonObject filter, JsonObject payload)
    {
        static IEnumerable<JsonObject> Conditions(JsonNode? node) => node switch
        {
            JsonArray array => array.Select(c => (JsonObject)c!),
            JsonObject single => [single],
            _ => [],
        };
        var should = Conditions(filter["should"]).ToList();
        return Conditions(filter["must"]).All(c => Condition(c, payload))
            && (should.Count == 0 || should.Any(c => Condition(c, payload)))
            && !Conditions(filter["must_not"]).Any(c => Condition(c, payload));
    }

    private static bool Condition(JsonObject condition, JsonObject payload)
    {
        if (condition["is_empty"] is { } empty)
            return payload[(string)empty["key"]!] is null or JsonArray { Count: 0 };
        if (condition["key"] is { } key && condition["match"] is JsonObject match)
        {
            var value = payload[(string)key!];
            if (match["value"] is { } expected)
                return value is not null && JsonNode.DeepEquals(value, expected);
            if (match["any"] is JsonArray any)
                return value is not null && any.Any(a => JsonNode.DeepEquals(a, value));
            throw new NotSupportedException("FakeQdrant: match " + match.ToJsonString());
        }
        if (condition.ContainsKey("must") || condition.ContainsKey("should") || condition.ContainsKey("must_not"))
            return Matches(condition, payload);
        throw new NotSupportedException("FakeQdrant: condition " + condition.ToJsonString());
    }
}
