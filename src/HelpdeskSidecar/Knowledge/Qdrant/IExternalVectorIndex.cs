using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// A chunk as the external index gets it: its fields (title, heading path, body) for the sparse vector, its dense
/// vector, and the policy fields the filters read. Only vectors and payload are stored; SQLite keeps the text.
/// </summary>
internal sealed record ExternalChunk(long ChunkId, long ArticleId, string Title, string HeadingPath, string Text, float[] Vector, string Source, KnowledgeTier Tier, string Locale, string? Brand, KnowledgeVisibility Visibility);

/// <summary>
/// Where chunk vectors live when they do not live in process: SQLite stays the source of truth for articles and
/// chunks, the external index holds vectors and payload and answers hybrid, policy-filtered queries with chunk ids.
/// </summary>
internal interface IExternalVectorIndex
{
    /// <summary>Replaces every point of the article with these chunks.</summary>
    Task ReplaceArticleAsync(long articleId, IReadOnlyList<ExternalChunk> chunks, CancellationToken ct);

    /// <summary>Writes (overwrites) these chunks' points in batches, without deleting anything first: for re-embedding chunks whose ids are unchanged.</summary>
    Task UpsertAsync(IReadOnlyList<ExternalChunk> chunks, CancellationToken ct);

    /// <summary>Removes an article's points (the article was deleted at its source).</summary>
    Task DeleteArticleAsync(long articleId, CancellationToken ct);

    /// <summary>
    /// Chunk ids best first, fused by reciprocal rank from dense and sparse searches, both inside the scope's filter
    /// for one locale. <paramref name="terms"/> are the weighted BM25 query terms (stems and pairs) of the embedded index.
    /// </summary>
    Task<IReadOnlyList<(long ChunkId, double Score)>> SearchAsync(float[] dense, IReadOnlyList<WeightedTerm> terms, RetrievalScope scope, string locale, int k, CancellationToken ct);

    /// <summary>
    /// True when the index holds points written by an older format (another <see cref="SparseTerms.Scheme"/>):
    /// every chunk must be pushed again. False when it is current or holds nothing yet.
    /// </summary>
    Task<bool> NeedsFullPushAsync(CancellationToken ct);

    /// <summary>
    /// Before a full push of vectors of <paramref name="dimensions"/> (after the encoder changed): a collection holding
    /// vectors of another size is dropped and created again at this size. True when it was.
    /// </summary>
    Task<bool> RecreateIfOtherSizeAsync(int dimensions, CancellationToken ct);

    /// <summary>Records that every point now has the current format (after a full push).</summary>
    Task MarkFullyPushedAsync(CancellationToken ct);
}
