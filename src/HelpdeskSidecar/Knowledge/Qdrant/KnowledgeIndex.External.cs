using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Knowledge.Qdrant;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// The index when an external vector index (Qdrant) is configured: SQLite keeps articles and chunks (the source of
/// truth, and the text of every hit), the external index gets each article's chunk vectors and answers the hybrid query.
/// </summary>
internal sealed partial class KnowledgeIndex
{
    private IExternalVectorIndex? _external;

    /// <summary>Routes vectors and retrieval to <paramref name="external"/> (set once, at construction by DI).</summary>
    internal KnowledgeIndex UseExternal(IExternalVectorIndex? external)
    {
        _external = external;
        return this;
    }

    /// <summary>Whether writes and hybrid queries go to the external index.</summary>
    internal bool UsesExternal => _external is not null;

    private readonly SemaphoreSlim _externalCheck = new(1, 1);
    private volatile bool _externalCurrent;

    /// <summary>Pushes one article's chunks (as now stored in SQLite, with their vectors) to the external index, replacing what it held.</summary>
    private async Task PushArticleAsync(long articleId, CancellationToken ct)
    {
        if (_external is not { } external)
            return;
        await EnsureExternalCurrentAsync(external, ct);
        await external.ReplaceArticleAsync(articleId, await ExternalChunksAsync("c.article_id = @articleId", new { articleId }, ct), ct);
    }

    /// <summary>
    /// Pushes every chunk after a refit re-embedded them all (see <see cref="UpsertAllAsync"/>). Being a full push, it
    /// also brings an index written in an older format up to date.
    /// </summary>
    private async Task PushAllAsync(CancellationToken ct)
    {
        if (_external is not { } external)
            return;
        var stale = !_externalCurrent && await external.NeedsFullPushAsync(ct);
        // Every vector was just computed again, possibly by another encoder than the collection's: its size decides.
        await using (var connection = await database.OpenAsync(ct))
        {
            var bytes = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT length(embedding) FROM chunks WHERE embedding IS NOT NULL AND embedding_model = @model LIMIT 1", new { model = EmbedderModelId }, cancellationToken: ct));
            if (bytes is > 0)
                await external.RecreateIfOtherSizeAsync((int)(bytes.Value / sizeof(float)), ct);
        }
        await UpsertAllAsync(external, ct);
        if (stale)
            await external.MarkFullyPushedAsync(ct);
        _externalCurrent = true;
    }

    /// <summary>
    /// Once per process, before the first external search or write: an index whose points were written in an older
    /// format (sparse vectors of an earlier <see cref="SparseTerms.Scheme"/>) gets every chunk pushed again, since
    /// an unchanged article is never rewritten by a sync. One metadata read when it is current; the push is a one-off
    /// after an upgrade, and a search waits for it.
    /// </summary>
    private async Task EnsureExternalCurrentAsync(IExternalVectorIndex external, CancellationToken ct)
    {
        if (_externalCurrent)
            return;
        await _externalCheck.WaitAsync(ct);
        try
        {
            if (_externalCurrent)
                return;
            if (await external.NeedsFullPushAsync(ct))
            {
                await UpsertAllAsync(external, ct);
                await external.MarkFullyPushedAsync(ct);
            }
            _externalCurrent = true;
        }
        finally
        {
            _externalCheck.Release();
        }
    }

    /// <summary>
    /// Every chunk with a vector, as plain batched upserts (chunk ids did not change, and each article's stale points
    /// were already deleted when it was last written; an upsert replaces a point's vectors whole), one page at a time.
    /// </summary>
    private async Task UpsertAllAsync(IExternalVectorIndex external, CancellationToken ct)
    {
        // Whole articles per page: a chunk's vector carries its article's mean (ArticleContext).
        const int Page = 500;
        for (long after = 0; ;)
        {
            var chunks = await ExternalChunksAsync(
                $"c.article_id IN (SELECT id FROM articles WHERE id > @after ORDER BY id LIMIT {Page})", new { after }, ct);
            if (chunks.Count == 0)
            {
                await using var connection = await database.OpenAsync(ct);
                var more = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    $"SELECT max(id) FROM (SELECT id FROM articles WHERE id > @after ORDER BY id LIMIT {Page}) AS page", new { after }, cancellationToken: ct));
                if (more is not { } last)
                    return;
                after = last; // a page of articles without vectors
                continue;
            }
            await external.UpsertAsync(chunks, ct);
            after = chunks.Max(c => c.ArticleId);
        }
    }

    /// <summary>Chunks with a vector of the current embedder, blended with their article's mean as the embedded snapshot does; <paramref name="where"/> must select whole articles.</summary>
    private async Task<List<ExternalChunk>> ExternalChunksAsync(string where, object parameters, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, long ArticleId, string Title, string HeadingPath, string Text, string Source, string Tier, string Locale, string? Brand, string Visibility, byte[]? Embedding, string? Model)>(
            new CommandDefinition(
                $"""
                SELECT c.id, c.article_id, a.title, c.heading_path, c.text, c.source, c.tier, c.locale, c.brand, c.visibility, c.embedding, c.embedding_model
                FROM chunks c JOIN articles a ON a.id = c.article_id WHERE {where} ORDER BY c.article_id, c.ordinal
                """, parameters, cancellationToken: ct));
        var model = EmbedderModelId;
        var chunks = rows.Where(r => r.Embedding is not null && r.Model == model)
            .Select(r => new ExternalChunk(r.Id, r.ArticleId, r.Title, r.HeadingPath, r.Text, Embedded.DenseVectorStore.ToVector(r.Embedding!),
                r.Source, ParseTier(r.Tier), r.Locale, r.Brand, ParseVisibility(r.Visibility)));
        return Embedded.ArticleContext.Blend(chunks, c => c.ArticleId, c => c.Vector, ArticleContextWeight).ToList();
    }

    /// <summary>Removes an article's vectors from the external index (the SQLite rows are the caller's to delete).</summary>
    public Task RemoveExternalAsync(long articleId, CancellationToken ct) =>
        _external is { } external ? external.DeleteArticleAsync(articleId, ct) : Task.CompletedTask;

    /// <summary>
    /// One locale of a hybrid query answered by the external index, read back from SQLite with reasons:
    /// <paramref name="weighted"/> are the BM25 query terms of the sparse side, <paramref name="terms"/> the raw words
    /// a passage's reason lists when it contains them.
    /// </summary>
    private async Task<List<RetrievedPassage>> ExternalSearchAsync(
        IExternalVectorIndex external, IReadOnlyList<string> terms, IReadOnlyList<WeightedTerm> weighted, float[] queryVector, RetrievalRequest request, string locale, int k, CancellationToken ct)
    {
        var dense = request.Mode == RetrievalMode.Lexical ? [] : queryVector;
        var sparseTerms = request.Mode == RetrievalMode.Dense ? [] : weighted;
        var ranked = await external.SearchAsync(dense, sparseTerms, request.Scope, locale, k, ct);
        var fused = await FuseAsync(terms, ranked, [], k, ct);
        return fused.Select((p, i) => p with
        {
            FusedScore = ranked.First(r => r.ChunkId == p.Hit.ChunkId).Score,
            LexicalRank = null,
            LexicalScore = null,
            Reason = $"hybrid #{i + 1} in Qdrant (dense + sparse, RRF)" + (p.Hit.MatchedTerms.Count > 0 ? $"; keywords {string.Join(", ", p.Hit.MatchedTerms)}" : ""),
        }).ToList();
    }
}
