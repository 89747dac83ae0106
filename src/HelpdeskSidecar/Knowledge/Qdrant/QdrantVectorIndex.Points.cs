using Qdrant.Client.Grpc;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>What goes over the wire: chunks as points (named vectors and the payload the filters read), and scopes as filters.</summary>
internal sealed partial class QdrantVectorIndex
{
    /// <summary>The scope as a Qdrant filter: allowed tiers and visibilities, one locale, and unbranded knowledge or the ticket's brand.</summary>
    internal static Filter ScopeFilter(RetrievalScope scope, string locale)
    {
        var visibility = scope.Visibility == KnowledgeVisibility.Agents ? new[] { "public", "agents" } : ["public"];
        var unbranded = new Condition { IsEmpty = new IsEmptyCondition { Key = "brand" } };
        var brands = scope.BrandValues();
        var brand = brands.Count == 0
            ? unbranded
            : new Condition { Filter = new Filter { Should = { unbranded, AnyKeyword("brand", brands) } } };
        return new Filter
        {
            Must =
            {
                AnyKeyword("tier", scope.Tiers.Select(KnowledgeIndex.TierName)),
                Keyword("locale", locale.ToLowerInvariant()),
                AnyKeyword("visibility", visibility),
                brand,
            },
        };
    }

    internal static Filter ArticleFilter(long articleId) =>
        new() { Must = { new Condition { Field = new FieldCondition { Key = "article_id", Match = new Match { Integer = articleId } } } } };

    private static Condition Keyword(string key, string value) =>
        new() { Field = new FieldCondition { Key = key, Match = new Match { Keyword = value } } };

    private static Condition AnyKeyword(string key, IEnumerable<string> values) =>
        new() { Field = new FieldCondition { Key = key, Match = new Match { Keywords = new RepeatedStrings { Strings = { values } } } } };

    private static global::Qdrant.Client.Grpc.SparseVector ToGrpc(SparseVector sparse) =>
        new() { Indices = { sparse.Indices }, Values = { sparse.Values } };

    private static PointStruct ToPoint(ExternalChunk chunk)
    {
        var vectors = new NamedVectors { Vectors = { [DenseVectorName] = new Vector { Dense = new DenseVector { Data = { chunk.Vector } } } } };
        var sparse = SparseTerms.ForDocument(chunk.Title, chunk.HeadingPath, chunk.Text);
        if (!sparse.IsEmpty)
            vectors.Vectors[SparseVectorName] = new Vector { Sparse = ToGrpc(sparse) };
        var point = new PointStruct
        {
            Id = (ulong)chunk.ChunkId,
            Vectors = new Vectors { Vectors_ = vectors },
            Payload =
            {
                ["article_id"] = chunk.ArticleId,
                ["source"] = chunk.Source,
                ["tier"] = KnowledgeIndex.TierName(chunk.Tier),
                ["locale"] = chunk.Locale.ToLowerInvariant(),
                ["visibility"] = KnowledgeIndex.VisibilityName(chunk.Visibility),
            },
        };
        if (!string.IsNullOrEmpty(chunk.Brand))
            point.Payload["brand"] = chunk.Brand;
        return point;
    }
}
