using System.Numerics.Tensors;
using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge;

/// <summary>The dense side of the index: chunk vectors (stored per chunk, held in memory for the scan), the query vector, and refitting the offline embedder.</summary>
internal sealed partial class KnowledgeIndex
{
    /// <summary>
    /// Refits a corpus-fitted embedder (the offline one) on every chunk and re-embeds them all, so that term weights
    /// reflect the whole knowledge base rather than what existed when each article arrived. Run after an import.
    /// </summary>
    public async Task<int> RefitEmbeddingsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var chunks = (await connection.QueryAsync<(long Id, long ArticleId, string Title, string HeadingPath, string Text)>(new CommandDefinition(
            "SELECT c.id, c.article_id, a.title, c.heading_path, c.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.id", cancellationToken: ct))).ToList();
        var texts = chunks.Select(c => EmbeddingText(c.Title, c.HeadingPath, c.Text)).ToList();
        if (embedder is ICorpusFittedEmbedder fitted)
        {
            fitted.Fit(texts);
            _embedderStateLoaded = true;
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var article in chunks.Select((c, i) => (c.ArticleId, i)).GroupBy(x => x.ArticleId, x => x.i))
        {
            var members = article.ToList();
            var vectors = await EmbedArticleChunksAsync(members.Select(i => texts[i]).ToList(), ct);
            for (var j = 0; j < members.Count; j++)
                await connection.ExecuteAsync("UPDATE chunks SET embedding = @blob WHERE id = @id",
                    new { blob = DenseVectorStore.ToBlob(vectors[j]), id = chunks[members[j]].Id }, tx);
        }
        if (embedder is ICorpusFittedEmbedder model)
            await connection.ExecuteAsync(
                "INSERT INTO embedding_models (name, state, updated_at) VALUES (@name, @state, @now) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                new { name = model.ModelName, state = model.SaveState(), now = time.GetUtcNow().ToString("O") }, tx);
        await tx.CommitAsync(ct);
        InvalidateSearch();
        await PushAllAsync(ct);
        return chunks.Count;
    }

    public async Task<bool> HasChunksWithoutVectorsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM chunks WHERE embedding IS NULL)", cancellationToken: ct)) == 1;
    }

    /// <summary>A corpus-fitted embedder starts from the weights last saved, so queries and new chunks use the same model.</summary>
    private async Task EnsureEmbedderStateAsync(CancellationToken ct)
    {
        if (_embedderStateLoaded || embedder is not ICorpusFittedEmbedder fitted)
            return;
        await using var connection = await database.OpenAsync(ct);
        var state = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT state FROM embedding_models WHERE name = @name", new { name = fitted.ModelName }, cancellationToken: ct));
        if (state is not null)
            fitted.LoadState(state);
        _embedderStateLoaded = true;
    }

    /// <summary>
    /// Above this many chunks, a query after a write does not wait for the snapshot to be rebuilt (seconds at 100k
    /// chunks): it is answered from the previous snapshot while one rebuild runs in the background. Deleted chunks
    /// drop out at hydration, changed policy fields are checked again there, and new chunks appear when the rebuild
    /// lands. Below it the rebuild is quick and done in line, so a small knowledge base is always exactly current.
    /// </summary>
    internal int RebuildInBackgroundAbove { get; init; } = 20_000;

    /// <summary>Above this many chunks, building a snapshot ends with a full, compacting collection that returns freed memory to the OS.</summary>
    internal const int ReleaseMemoryAbove = 20_000;

    private sealed record SearchSnapshot(EmbeddedSearchIndex Index, long Generation);

    private readonly SemaphoreSlim _searchLock = new(1, 1);
    private readonly Lock _rebuildGate = new();
    private volatile SearchSnapshot? _search;
    private Task? _backgroundRebuild;
    private long _generation;

    /// <summary>After any write: the snapshot is stale from now on (see <see cref="RebuildInBackgroundAbove"/>).</summary>
    private void InvalidateSearch() => Interlocked.Increment(ref _generation);

    /// <summary>
    /// The in-memory search structures (BM25 postings, int8 vectors, policy fields), read from SQLite on first use and
    /// again after any change: one snapshot, so the two retrievers always see the same chunks.
    /// </summary>
    internal async Task<EmbeddedSearchIndex> SearchIndexAsync(CancellationToken ct)
    {
        await FollowDatabaseAsync(ct);
        var current = _search;
        if (current is not null && current.Generation == Volatile.Read(ref _generation))
            return current.Index;
        if (current is not null && current.Index.Count > RebuildInBackgroundAbove)
        {
            StartBackgroundRebuild();
            return current.Index;
        }
        return await RebuildAsync(ct);
    }

    /// <summary>Whether a background rebuild is under way (for tests that wait for one to land).</summary>
    internal Task BackgroundRebuild
    {
        get
        {
            lock (_rebuildGate)
                return _backgroundRebuild ?? Task.CompletedTask;
        }
    }

    private void StartBackgroundRebuild()
    {
        lock (_rebuildGate)
        {
            if (_backgroundRebuild is { IsCompleted: false })
                return;
            _backgroundRebuild = Task.Run(async () =>
            {
                try
                {
                    await RebuildAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
                {
                    // The stale snapshot keeps serving; the next query after the next write tries again.
                    if (logger is not null)
                        LogRebuildFailed(logger, ex.GetType().Name, ex.Message);
                }
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding the in-memory knowledge snapshot failed ({Error}: {Message}); the previous one keeps serving")]
    private static partial void LogRebuildFailed(ILogger logger, string error, string message);

    private async Task<EmbeddedSearchIndex> RebuildAsync(CancellationToken ct)
    {
        await _searchLock.WaitAsync(ct);
        try
        {
            var generation = Volatile.Read(ref _generation);
            if (_search is { } built && built.Generation == generation)
                return built.Index;
            await EnsureEmbedderStateAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            // Unbuffered and grouped by article: the snapshot tokenizes and quantizes each row as it is read.
            var rows = connection.Query<(long Id, long ArticleId, string Title, string HeadingPath, string Text, string Tier, string Locale, string? Brand, string Visibility, byte[]? Embedding)>(
                    new CommandDefinition(
                        """
                        SELECT c.id, c.article_id, a.title, c.heading_path, c.text, c.tier, c.locale, c.brand, c.visibility, c.embedding
                        FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.id
                        """, flags: CommandFlags.None, cancellationToken: ct))
                .Select(r => new IndexedChunk(r.Id, r.ArticleId, r.Title, r.HeadingPath, r.Text,
                    new ChunkPolicy(ParseTier(r.Tier), r.Locale, r.Brand, ParseVisibility(r.Visibility)), r.Embedding is null ? null : DenseVectorStore.ToVector(r.Embedding)));
            var index = new EmbeddedSearchIndex(rows, pairs: PairWeight > 0);
            // Tagged with the generation read before the rows: a write that landed meanwhile leaves it stale.
            _search = new SearchSnapshot(index, generation);
            if (index.Count > ReleaseMemoryAbove)
            {
                // Building a large snapshot takes two to three times the memory it keeps (postings gathered per term,
                // then flattened; the previous snapshot still alive). A rebuild is rare (after knowledge changes), so
                // hand that memory back to the OS now rather than keep the process at its peak until the GC decides to.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            return index;
        }
        finally
        {
            _searchLock.Release();
        }
    }

    /// <summary>Chunk vectors of one article, each blended with the article's mean (<see cref="ArticleContextWeight"/>) and renormalised.</summary>
    private async Task<float[][]> EmbedArticleChunksAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        if (texts.Count == 0)
            return [];
        var vectors = (await embedder.GenerateAsync(texts, cancellationToken: ct)).Select(e => e.Vector.ToArray()).ToArray();
        if (vectors.Length < 2)
            return vectors;
        var mean = new float[vectors[0].Length];
        foreach (var vector in vectors)
            TensorPrimitives.Add(mean, vector, mean);
        Normalize(mean);
        foreach (var vector in vectors)
        {
            TensorPrimitives.MultiplyAdd(mean, ArticleContextWeight, vector, vector);
            Normalize(vector);
        }
        return vectors;
    }

    /// <summary>
    /// The dense query: each line (a message, newest first) embedded on its own and summed with weights decaying by
    /// <see cref="MessageDecay"/>, so the newest message leads and older context still steers. Empty when there is nothing to embed.
    /// </summary>
    internal async Task<float[]> QueryVectorAsync(string query, CancellationToken ct)
    {
        var lines = query.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
            return [];
        var embeddings = await embedder.GenerateAsync(lines, cancellationToken: ct);
        var vector = new float[embeddings[0].Vector.Length];
        var weight = 1f;
        foreach (var embedding in embeddings)
        {
            TensorPrimitives.MultiplyAdd(embedding.Vector.Span, weight, vector, vector);
            weight *= MessageDecay;
        }
        return Normalize(vector) ? vector : [];
    }

    private static bool Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm <= 0 || float.IsNaN(norm))
            return false;
        TensorPrimitives.Divide(vector, norm, vector);
        return true;
    }
}
