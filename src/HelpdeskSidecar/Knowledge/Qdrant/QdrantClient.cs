using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>A point to write: its id (our chunk id), the named dense and sparse vectors, and the payload the filters read.</summary>
internal sealed record QdrantPoint(ulong Id, float[] Dense, SparseVector Sparse, JsonObject Payload);

/// <summary>A scored point id from a query, best first.</summary>
internal sealed record QdrantScoredPoint(ulong Id, double Score);

/// <summary>Qdrant answered with an error status; <see cref="Message"/> is Qdrant's own <c>status.error</c>, never a header.</summary>
internal sealed class QdrantException(HttpStatusCode status, string message) : Exception($"Qdrant returned {(int)status}: {message}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// The few Qdrant REST calls the knowledge index needs (Qdrant.Client is not served, see DESIGN §3). Bodies are built
/// as JSON trees so that exactly the fields in the v1.19 OpenAPI contract are sent, nothing more. The base address,
/// <c>api-key</c> header and resilience handler come from the HttpClient registration (QdrantExtensions).
/// </summary>
internal sealed class QdrantClient(HttpClient http)
{
    public const string DenseVector = "dense";
    public const string SparseVectorName = "sparse";

    public async Task<bool> CollectionExistsAsync(string collection, CancellationToken ct)
    {
        using var response = await http.GetAsync($"collections/{Escape(collection)}/exists", ct);
        var body = await ReadAsync(response, ct);
        return (bool?)body["result"]?["exists"] ?? false;
    }

    /// <summary>
    /// A named cosine dense vector and a named sparse vector whose IDF Qdrant computes from the collection, with our
    /// own <paramref name="metadata"/> (what format its points are written in).
    /// </summary>
    public async Task CreateCollectionAsync(string collection, int dimensions, JsonObject metadata, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["vectors"] = new JsonObject { [DenseVector] = new JsonObject { ["size"] = dimensions, ["distance"] = "Cosine" } },
            ["sparse_vectors"] = new JsonObject { [SparseVectorName] = new JsonObject { ["modifier"] = "idf" } },
            ["metadata"] = metadata.DeepClone(),
        };
        using var response = await http.PutAsJsonAsync($"collections/{Escape(collection)}", body, ct);
        await ReadAsync(response, ct);
    }

    /// <summary>The collection's metadata (empty when it has none, as a collection created before we wrote any).</summary>
    public async Task<JsonObject> GetCollectionMetadataAsync(string collection, CancellationToken ct)
    {
        using var response = await http.GetAsync($"collections/{Escape(collection)}", ct);
        var body = await ReadAsync(response, ct);
        return body["result"]?["config"]?["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : [];
    }

    /// <summary>Merges these keys into the collection's metadata (Qdrant keeps the others).</summary>
    public async Task UpdateCollectionMetadataAsync(string collection, JsonObject metadata, CancellationToken ct)
    {
        using var response = await http.PatchAsJsonAsync($"collections/{Escape(collection)}", new JsonObject { ["metadata"] = metadata.DeepClone() }, ct);
        await ReadAsync(response, ct);
    }

    /// <summary>A keyword (or integer) payload index, so filters are applied inside the vector search, not after it.</summary>
    public async Task CreatePayloadIndexAsync(string collection, string field, string schema, CancellationToken ct)
    {
        var body = new JsonObject { ["field_name"] = field, ["field_schema"] = schema };
        using var response = await http.PutAsJsonAsync($"collections/{Escape(collection)}/index?wait=true", body, ct);
        await ReadAsync(response, ct);
    }

    /// <summary>One batch, acknowledged only once applied (<c>wait=true</c>), so a query right after sees it.</summary>
    public async Task UpsertAsync(string collection, IReadOnlyList<QdrantPoint> points, CancellationToken ct)
    {
        var array = new JsonArray();
        foreach (var point in points)
        {
            var vector = new JsonObject { [DenseVector] = ToArray(point.Dense) };
            if (!point.Sparse.IsEmpty)
                vector[SparseVectorName] = ToSparse(point.Sparse);
            array.Add(new JsonObject { ["id"] = point.Id, ["vector"] = vector, ["payload"] = point.Payload.DeepClone() });
        }
        using var response = await http.PutAsJsonAsync($"collections/{Escape(collection)}/points?wait=true", new JsonObject { ["points"] = array }, ct);
        await ReadAsync(response, ct);
    }

    public async Task DeleteAsync(string collection, JsonObject filter, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"collections/{Escape(collection)}/points/delete?wait=true", new JsonObject { ["filter"] = filter }, ct);
        await ReadAsync(response, ct);
    }

    /// <summary>Hybrid search: dense and sparse prefetches (each under the filter) fused by reciprocal rank.</summary>
    public async Task<IReadOnlyList<QdrantScoredPoint>> HybridQueryAsync(
        string collection, float[] dense, SparseVector sparse, JsonObject filter, int prefetchLimit, int limit, CancellationToken ct)
    {
        var prefetch = new JsonArray();
        if (dense.Length > 0)
            prefetch.Add(new JsonObject { ["query"] = ToArray(dense), ["using"] = DenseVector, ["filter"] = filter.DeepClone(), ["limit"] = prefetchLimit });
        if (!sparse.IsEmpty)
            prefetch.Add(new JsonObject { ["query"] = ToSparse(sparse), ["using"] = SparseVectorName, ["filter"] = filter.DeepClone(), ["limit"] = prefetchLimit });
        if (prefetch.Count == 0)
            return [];
        var body = new JsonObject
        {
            ["prefetch"] = prefetch,
            ["query"] = new JsonObject { ["fusion"] = "rrf" },
            ["filter"] = filter.DeepClone(),
            ["limit"] = limit,
            ["with_payload"] = false,
        };
        using var response = await http.PostAsJsonAsync($"collections/{Escape(collection)}/points/query", body, ct);
        var result = await ReadAsync(response, ct);
        var points = result["result"]?["points"]?.AsArray() ?? [];
        return points.Select(p => new QdrantScoredPoint(ParseId(p!["id"]), (double?)p["score"] ?? 0)).ToList();
    }

    private static ulong ParseId(JsonNode? id) =>
        id is JsonValue value && value.TryGetValue<ulong>(out var number) ? number
        : ulong.Parse(id?.ToString() ?? throw new InvalidOperationException("Qdrant returned a point without an id."), CultureInfo.InvariantCulture);

    private static JsonArray ToArray(float[] values)
    {
        var array = new JsonArray();
        foreach (var value in values)
            array.Add(value);
        return array;
    }

    private static JsonObject ToSparse(SparseVector sparse)
    {
        var indices = new JsonArray();
        foreach (var index in sparse.Indices)
            indices.Add(index);
        return new JsonObject { ["indices"] = indices, ["values"] = ToArray(sparse.Values) };
    }

    private static string Escape(string collection) => Uri.EscapeDataString(collection);

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // not JSON (a proxy's error page): reported by status below
        }
        if (!response.IsSuccessStatusCode)
            throw new QdrantException(response.StatusCode, body?["status"]?["error"]?.ToString() ?? response.ReasonPhrase ?? "error");
        return body ?? throw new QdrantException(response.StatusCode, "empty or non-JSON response");
    }
}
