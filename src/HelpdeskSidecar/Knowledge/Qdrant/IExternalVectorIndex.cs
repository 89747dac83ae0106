namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>A chunk as the external index stores it: vectors plus the policy fields the filters read (SQLite keeps the text).</summary>
internal sealed record ExternalChunk(long ChunkId, long ArticleId, string SearchText, float[] Vector, string Source, KnowledgeTier Tier, string Locale, string? Brand, KnowledgeVisibility Visibility);

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

    /// <summary>Chunk ids best first, fused by reciprocal rank from dense and sparse searches, both inside the scope's filter for one locale.</summary>
    Task<IReadOnlyList<(long ChunkId, double Score)>> SearchAsync(float[] dense, IReadOnlyList<string> terms, RetrievalScope scope, string locale, int k, CancellationToken ct);
}
