using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge.Embedded;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// The Qdrant backend: one collection (created on first write with the embedder's dimension, payload indexes on the
/// filter fields, and the sparse scheme in its metadata), batched upserts, delete by filter, and the scope translated
/// into a Qdrant filter.
/// </summary>
internal sealed partial class QdrantVectorIndex(QdrantClient client, IOptions<QdrantOptions> options, ILogger<QdrantVectorIndex> logger) : IExternalVectorIndex
{
    /// <summary>Payload fields filtered on, and their index types.</summary>
    public static readonly IReadOnlyList<(string Field, string Schema)> IndexedFields =
    [
        ("tier", "keyword"), ("locale", "keyword"), ("brand", "keyword"), ("visibility", "keyword"), ("source", "keyword"), ("article_id", "integer"),
    ];

    private readonly SemaphoreSlim _setup = new(1, 1);
    private volatile bool _ready;

    private string Collection => options.Value.Collection;

    public async Task ReplaceArticleAsync(long articleId, IReadOnlyList<ExternalChunk> chunks, CancellationToken ct)
    {
        if (chunks.Count > 0)
            await EnsureCollectionAsync(chunks[0].Vector.Length, ct);
        else if (!await ExistsAsync(ct))
            return;
        await client.DeleteAsync(Collection, ArticleFilter(articleId), ct);
        await UpsertAsync(chunks, ct);
    }

    public async Task UpsertAsync(IReadOnlyList<ExternalChunk> chunks, CancellationToken ct)
    {
        if (chunks.Count == 0)
            return;
        await EnsureCollectionAsync(chunks[0].Vector.Length, ct);
        var batchSize = Math.Max(1, options.Value.BatchSize);
        foreach (var batch in chunks.Chunk(batchSize))
        {
            await client.UpsertAsync(Collection, batch.Select(ToPoint).ToList(), ct);
            LogUpserted(logger, Collection, batch.Length);
        }
    }

    public async Task DeleteArticleAsync(long articleId, CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return;
        await client.DeleteAsync(Collection, ArticleFilter(articleId), ct);
        LogDeleted(logger, Collection, articleId);
    }

    public async Task<IReadOnlyList<(long ChunkId, double Score)>> SearchAsync(float[] dense, IReadOnlyList<WeightedTerm> terms, RetrievalScope scope, string locale, int k, CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return [];
        var depth = Math.Max(k * 4, 40);
        var points = await client.HybridQueryAsync(Collection, dense, SparseTerms.ForQuery(terms), ScopeFilter(scope, locale), depth, k, ct);
        return points.Select(p => ((long)p.Id, p.Score)).ToList();
    }

    /// <summary>Collection metadata key holding the <see cref="SparseTerms.Scheme"/> its points were written with (absent: scheme 1).</summary>
    public const string SparseSchemeKey = "sparse_scheme";

    public async Task<bool> NeedsFullPushAsync(CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return false;
        var metadata = await client.GetCollectionMetadataAsync(Collection, ct);
        return metadata[SparseSchemeKey] is not JsonValue scheme || !scheme.TryGetValue<int>(out var version) || version != SparseTerms.Scheme;
    }

    public async Task MarkFullyPushedAsync(CancellationToken ct)
    {
        await client.UpdateCollectionMetadataAsync(Collection, CurrentMetadata(), ct);
        LogSchemeUpdated(logger, Collection, SparseTerms.Scheme);
    }

    private static JsonObject CurrentMetadata() => new() { [SparseSchemeKey] = SparseTerms.Scheme };

    /// <summary>The scope as a Qdrant filter: allowed tiers and visibilities, one locale, and unbranded knowledge or the ticket's brand.</summary>
    internal static JsonObject ScopeFilter(RetrievalScope scope, string locale)
    {
        var visibility = scope.Visibility == KnowledgeVisibility.Agents ? new[] { "public", "agents" } : ["public"];
        var unbranded = new JsonObject { ["is_empty"] = new JsonObject { ["key"] = "brand" } };
        JsonNode brand = scope.Brand is null
            ? unbranded
            : new JsonObject { ["should"] = new JsonArray(unbranded, Match("brand", scope.Brand)) };
        return new JsonObject
        {
            ["must"] = new JsonArray(
                MatchAny("tier", scope.Tiers.Select(KnowledgeIndex.TierName)),
                Match("locale", locale.ToLowerInvariant()),
                MatchAny("visibility", visibility),
                brand),
        };
    }

    internal static JsonObject ArticleFilter(long articleId) =>
        new() { ["must"] = new JsonArray(new JsonObject { ["key"] = "article_id", ["match"] = new JsonObject { ["value"] = articleId } }) };

    private static JsonObject Match(string key, string value) =>
        new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    private static JsonObject MatchAny(string key, IEnumerable<string> values) =>
        new() { ["key"] = key, ["match"] = new JsonObject { ["any"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()) } };

    private static QdrantPoint ToPoint(ExternalChunk chunk)
    {
        var payload = new JsonObject
        {
            ["article_id"] = chunk.ArticleId,
            ["source"] = chunk.Source,
            ["tier"] = KnowledgeIndex.TierName(chunk.Tier),
            ["locale"] = chunk.Locale.ToLowerInvariant(),
            ["visibility"] = KnowledgeIndex.VisibilityName(chunk.Visibility),
        };
        if (!string.IsNullOrEmpty(chunk.Brand))
            payload["brand"] = chunk.Brand;
        return new QdrantPoint((ulong)chunk.ChunkId, chunk.Vector, SparseTerms.ForDocument(chunk.Title, chunk.HeadingPath, chunk.Text), payload);
    }

    private async Task<bool> ExistsAsync(CancellationToken ct)
    {
        if (_ready)
            return true;
        return _ready = await client.CollectionExistsAsync(Collection, ct);
    }

    private async Task EnsureCollectionAsync(int dimensions, CancellationToken ct)
    {
        if (_ready)
            return;
        await _setup.WaitAsync(ct);
        try
        {
            if (_ready || await client.CollectionExistsAsync(Collection, ct))
            {
                _ready = true;
                return;
            }
            await client.CreateCollectionAsync(Collection, dimensions, CurrentMetadata(), ct);
            foreach (var (field, schema) in IndexedFields)
                await client.CreatePayloadIndexAsync(Collection, field, schema, ct);
            LogCreated(logger, Collection, dimensions);
            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Qdrant collection {Collection} (dense {Dimensions} dimensions, sparse with idf, payload indexes)")]
    private static partial void LogCreated(ILogger logger, string collection, int dimensions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every point of Qdrant collection {Collection} was pushed again; it is now marked sparse scheme {Scheme}")]
    private static partial void LogSchemeUpdated(ILogger logger, string collection, int scheme);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Upserted {Count} points into Qdrant collection {Collection}")]
    private static partial void LogUpserted(ILogger logger, string collection, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted the points of article {ArticleId} from Qdrant collection {Collection}")]
    private static partial void LogDeleted(ILogger logger, string collection, long articleId);
}
