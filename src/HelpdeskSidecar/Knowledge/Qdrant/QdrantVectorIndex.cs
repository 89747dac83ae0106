using HelpdeskSidecar.Knowledge.Embedded;
using Microsoft.Extensions.Options;
using Qdrant.Client.Grpc;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// The Qdrant backend through Qdrant.Client (gRPC): one collection (created on first write with the embedder's
/// dimension as the named cosine vector <c>dense</c>, the named sparse vector <c>sparse</c> with Qdrant's IDF, payload
/// indexes on the filter fields, and the sparse scheme in its metadata), batched upserts acknowledged once applied,
/// delete by filter, and a hybrid query (dense and sparse prefetches under the scope's filter, fused by RRF).
/// </summary>
internal sealed partial class QdrantVectorIndex(QdrantCalls qdrant, IOptions<QdrantOptions> options, ILogger<QdrantVectorIndex> logger) : IExternalVectorIndex
{
    public const string DenseVectorName = "dense";
    public const string SparseVectorName = "sparse";

    /// <summary>Payload fields filtered on, and their index types.</summary>
    public static readonly IReadOnlyList<(string Field, PayloadSchemaType Schema)> IndexedFields =
    [
        ("tier", PayloadSchemaType.Keyword), ("locale", PayloadSchemaType.Keyword), ("brand", PayloadSchemaType.Keyword),
        ("visibility", PayloadSchemaType.Keyword), ("source", PayloadSchemaType.Keyword), ("article_id", PayloadSchemaType.Integer),
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
        await DeleteAsync(ArticleFilter(articleId), ct);
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
            var points = batch.Select(ToPoint).ToList();
            // wait: acknowledged only once applied, so a query right after sees the batch
            await qdrant.RunAsync((client, token) => client.UpsertAsync(Collection, points, wait: true, cancellationToken: token), ct);
            LogUpserted(logger, Collection, batch.Length);
        }
    }

    public async Task DeleteArticleAsync(long articleId, CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return;
        await DeleteAsync(ArticleFilter(articleId), ct);
        LogDeleted(logger, Collection, articleId);
    }

    public async Task<IReadOnlyList<(long ChunkId, double Score)>> SearchAsync(float[] dense, IReadOnlyList<WeightedTerm> terms, RetrievalScope scope, string locale, int k, CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return [];
        var depth = (ulong)Math.Max(k * 4, 40);
        var filter = ScopeFilter(scope, locale);
        var sparse = SparseTerms.ForQuery(terms);
        var prefetch = new List<PrefetchQuery>();
        if (dense.Length > 0)
            prefetch.Add(new PrefetchQuery { Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { dense } } } }, Using = DenseVectorName, Filter = filter, Limit = depth });
        if (!sparse.IsEmpty)
            prefetch.Add(new PrefetchQuery { Query = new Query { Nearest = new VectorInput { Sparse = ToGrpc(sparse) } }, Using = SparseVectorName, Filter = filter, Limit = depth });
        if (prefetch.Count == 0)
            return [];
        var points = await qdrant.RunAsync((client, token) => client.QueryAsync(
            Collection, query: new Query { Fusion = Fusion.Rrf }, prefetch: prefetch, filter: filter, limit: (ulong)k,
            payloadSelector: new WithPayloadSelector { Enable = false }, cancellationToken: token), ct);
        return points.Select(p => ((long)p.Id.Num, (double)p.Score)).ToList();
    }

    /// <summary>Collection metadata key holding the <see cref="SparseTerms.Scheme"/> its points were written with (absent: scheme 1).</summary>
    public const string SparseSchemeKey = "sparse_scheme";

    public async Task<bool> NeedsFullPushAsync(CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return false;
        var info = await qdrant.RunAsync((client, token) => client.GetCollectionInfoAsync(Collection, token), ct);
        return !info.Config.Metadata.TryGetValue(SparseSchemeKey, out var scheme) || SchemeVersion(scheme) != SparseTerms.Scheme;
    }

    public async Task<bool> RecreateIfOtherSizeAsync(int dimensions, CancellationToken ct)
    {
        if (!await qdrant.RunAsync((client, token) => client.CollectionExistsAsync(Collection, token), ct))
            return false;
        var info = await qdrant.RunAsync((client, token) => client.GetCollectionInfoAsync(Collection, token), ct);
        if (info.Config?.Params?.VectorsConfig?.ParamsMap?.Map is not { } map || !map.TryGetValue(DenseVectorName, out var dense) || (long)dense.Size == dimensions)
            return false;
        LogResized(logger, Collection, (long)dense.Size, dimensions);
        await qdrant.RunAsync((client, token) => client.DeleteCollectionAsync(Collection, cancellationToken: token), ct);
        _ready = false;
        await EnsureCollectionAsync(dimensions, ct);
        return true;
    }

    public async Task MarkFullyPushedAsync(CancellationToken ct)
    {
        // Qdrant merges these keys into the collection's metadata and keeps the others.
        await qdrant.RunAsync((client, token) => client.UpdateCollectionAsync(Collection, CurrentMetadata(), cancellationToken: token), ct);
        LogSchemeUpdated(logger, Collection, SparseTerms.Scheme);
    }

    private static Dictionary<string, Value> CurrentMetadata() => new(StringComparer.Ordinal) { [SparseSchemeKey] = (long)SparseTerms.Scheme };

    /// <summary>Metadata is JSON inside Qdrant: a whole number may come back as an integer or a double.</summary>
    private static long? SchemeVersion(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IntegerValue => value.IntegerValue,
        Value.KindOneofCase.DoubleValue when value.DoubleValue == Math.Floor(value.DoubleValue) => (long)value.DoubleValue,
        _ => null,
    };

    private Task DeleteAsync(Filter filter, CancellationToken ct) =>
        qdrant.RunAsync((client, token) => client.DeleteAsync(Collection, filter, wait: true, cancellationToken: token), ct);

    private async Task<bool> ExistsAsync(CancellationToken ct)
    {
        if (_ready)
            return true;
        return _ready = await qdrant.RunAsync((client, token) => client.CollectionExistsAsync(Collection, token), ct);
    }

    private async Task EnsureCollectionAsync(int dimensions, CancellationToken ct)
    {
        if (_ready)
            return;
        await _setup.WaitAsync(ct);
        try
        {
            if (_ready)
                return;
            if (await qdrant.RunAsync((client, token) => client.CollectionExistsAsync(Collection, token), ct))
            {
                _ready = true;
                return;
            }
            var create = new CreateCollection
            {
                CollectionName = Collection,
                VectorsConfig = new VectorsConfig { ParamsMap = new VectorParamsMap { Map = { [DenseVectorName] = new VectorParams { Size = (ulong)dimensions, Distance = Distance.Cosine } } } },
                SparseVectorsConfig = new SparseVectorConfig { Map = { [SparseVectorName] = new SparseVectorParams { Modifier = Modifier.Idf } } },
                Metadata = { CurrentMetadata() },
            };
            await qdrant.RunAsync((client, token) => client.CreateCollectionAsync(create, token), ct);
            foreach (var (field, schema) in IndexedFields)
                await qdrant.RunAsync((client, token) => client.CreatePayloadIndexAsync(Collection, field, schema, wait: true, cancellationToken: token), ct);
            LogCreated(logger, Collection, dimensions);
            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Qdrant collection {Collection} holds {Old}-dimensional vectors and the encoder makes {New}: the collection is created again and every chunk pushed")]
    private static partial void LogResized(ILogger logger, string collection, long old, int @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Qdrant collection {Collection} (dense {Dimensions} dimensions, sparse with idf, payload indexes)")]
    private static partial void LogCreated(ILogger logger, string collection, int dimensions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every point of Qdrant collection {Collection} was pushed again; it is now marked sparse scheme {Scheme}")]
    private static partial void LogSchemeUpdated(ILogger logger, string collection, int scheme);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Upserted {Count} points into Qdrant collection {Collection}")]
    private static partial void LogUpserted(ILogger logger, string collection, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted the points of article {ArticleId} from Qdrant collection {Collection}")]
    private static partial void LogDeleted(ILogger logger, string collection, long articleId);
}
