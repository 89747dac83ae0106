using System.Numerics.Tensors;
using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge;

/// <summary>The dense side of the index: chunk vectors (stored per chunk, held in memory for the scan), the query vector, and refitting the offline embedder.</summary>
internal sealed partial class KnowledgeIndex
{
    /// <summary>Chunks whose vectors are re-embedded per transaction when an encoder change leaves them stale (a killed run keeps what it finished).</summary>
    internal const int EmbedBatch = 64;

    private string? _embedderModelId;

    /// <summary>How this index's dense cosines read as evidence of an answer (the encoder's calibrated scale, else the hashed embedder's).</summary>
    internal CosineScale DenseScale => embedder is Ai.Encoders.SentenceEmbeddingGenerator encoder ? encoder.Model.Scale : CosineScale.Default;

    /// <summary>The id stored with each vector (<c>chunks.embedding_model</c>): a vector of any other id is stale.</summary>
    internal string EmbedderModelId => _embedderModelId ??=
        (embedder.GetService(typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata)) as Microsoft.Extensions.AI.EmbeddingGeneratorMetadata)?.DefaultModelId ?? embedder.GetType().Name;

    /// <summary>
    /// Brings every chunk's vector up to date and returns the number of chunks. A corpus-fitted embedder (the hashed
    /// one) is refitted on every chunk and all are re-embedded, so that term weights reflect the whole knowledge base;
    /// any other embedder only embeds the chunks without a vector of its own (none after an import: an upsert embeds
    /// its new chunks; after switching encoders: all), <see cref="EmbedBatch"/> per transaction, so a killed run
    /// resumes where it stopped. Run after an import.
    /// </summary>
    public async Task<int> RefitEmbeddingsAsync(CancellationToken ct, IProgress<(int Done, int Total)>? progress = null)
    {
        if (embedder is not ICorpusFittedEmbedder fitted)
            return await EmbedStaleAsync(progress, ct);
        await using var connection = await database.OpenAsync(ct);
        var chunks = (await connection.QueryAsync<(long Id, long ArticleId, string Title, string HeadingPath, string Text)>(new CommandDefinition(
            "SELECT c.id, c.article_id, a.title, c.heading_path, c.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.id", cancellationToken: ct))).ToList();
        var texts = chunks.Select(c => EmbeddingText(c.Title, c.HeadingPath, c.Text)).ToList();
        fitted.Fit(texts);
        _embedderStateLoaded = true;
        var model = EmbedderModelId;
        await using var tx = await connection.BeginTransactionAsync(ct);
        for (var from = 0; from < chunks.Count; from += EmbedBatch)
        {
            var count = Math.Min(EmbedBatch, chunks.Count - from);
            var vectors = await embedder.GenerateAsync(texts.GetRange(from, count), cancellationToken: ct);
            for (var j = 0; j < count; j++)
                await connection.ExecuteAsync("UPDATE chunks SET embedding = @blob, embedding_model = @model, content_hash = @hash WHERE id = @id",
                    new { blob = DenseVectorStore.ToBlob(vectors[j].Vector.Span), model, hash = TextHash(texts[from + j]), id = chunks[from + j].Id }, tx);
            progress?.Report((from + count, chunks.Count));
        }
        await connection.ExecuteAsync(
            "INSERT INTO embedding_models (name, state, updated_at) VALUES (@name, @state, @now) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            new { name = fitted.ModelName, state = fitted.SaveState(), now = time.GetUtcNow().ToString("O") }, tx);
        await tx.CommitAsync(ct);
        InvalidateSearch();
        await PushAllAsync(ct);
        return chunks.Count;
    }

    private async Task<int> EmbedStaleAsync(IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var model = EmbedderModelId;
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM chunks", cancellationToken: ct));
        var stale = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM chunks WHERE embedding IS NULL OR (embedding_model IS NULL OR embedding_model <> @model)", new { model }, cancellationToken: ct));
        if (stale == 0)
            return total;
        var done = 0;
        while (true)
        {
            var batch = (await connection.QueryAsync<(long Id, string Title, string HeadingPath, string Text)>(new CommandDefinition(
                $"""
                SELECT c.id, a.title, c.heading_path, c.text FROM chunks c JOIN articles a ON a.id = c.article_id
                WHERE c.embedding IS NULL OR (c.embedding_model IS NULL OR c.embedding_model <> @model) ORDER BY c.id LIMIT {EmbedBatch}
                """, new { model }, cancellationToken: ct))).ToList();
            if (batch.Count == 0)
                break;
            var texts = batch.Select(c => EmbeddingText(c.Title, c.HeadingPath, c.Text)).ToList();
            var vectors = await embedder.GenerateAsync(texts, cancellationToken: ct);
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                for (var j = 0; j < batch.Count; j++)
                    await connection.ExecuteAsync("UPDATE chunks SET embedding = @blob, embedding_model = @model, content_hash = @hash WHERE id = @id",
                        new { blob = DenseVectorStore.ToBlob(vectors[j].Vector.Span), model, hash = TextHash(texts[j]), id = batch[j].Id }, tx);
                await tx.CommitAsync(ct);
            }
            done += batch.Count;
            progress?.Report((Math.Min(done, stale), stale));
        }
        InvalidateSearch();
        await PushAllAsync(ct);
        return total;
    }

    /// <summary>Whether any chunk lacks a vector of the current embedder (never embedded, or by another encoder).</summary>
    public async Task<bool> HasChunksWithoutVectorsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM chunks WHERE embedding IS NULL OR (embedding_model IS NULL OR embedding_model <> @model))", new { model = EmbedderModelId }, cancellationToken: ct)) == 1;
    }

    /// <summary>An article's current vectors by content hash, when they are the current embedder's and it is not corpus-fitted (whose vectors change with every refit).</summary>
    private async Task<Dictionary<string, byte[]>> StoredVectorsAsync(System.Data.Common.DbConnection connection, long articleId, CancellationToken ct)
    {
        if (embedder is ICorpusFittedEmbedder)
            return [];
        var rows = await connection.QueryAsync<(string Hash, byte[] Embedding)>(new CommandDefinition(
            "SELECT content_hash, embedding FROM chunks WHERE article_id = @articleId AND embedding IS NOT NULL AND embedding_model = @model AND content_hash IS NOT NULL",
            new { articleId, model = EmbedderModelId }, cancellationToken: ct));
        var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (hash, embedding) in rows)
            kept.TryAdd(hash, embedding);
        return kept;
    }

    /// <summary>Each chunk's stored vector: the kept one when its text hash is known, else newly embedded (all new ones in one call).</summary>
    private async Task<byte[][]> EmbedNewAsync(IReadOnlyList<string> texts, IReadOnlyList<string> hashes, Dictionary<string, byte[]> kept, CancellationToken ct)
    {
        var result = new byte[texts.Count][];
        var missing = Enumerable.Range(0, texts.Count).Where(i => !kept.ContainsKey(hashes[i])).ToList();
        if (missing.Count > 0)
        {
            var vectors = await embedder.GenerateAsync(missing.Select(i => texts[i]).ToList(), cancellationToken: ct);
            for (var j = 0; j < missing.Count; j++)
                result[missing[j]] = DenseVectorStore.ToBlob(vectors[j].Vector.Span);
        }
        for (var i = 0; i < texts.Count; i++)
            result[i] ??= kept[hashes[i]];
        return result;
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
                        SELECT c.id, c.article_id, a.title, c.heading_path, c.text, c.tier, c.locale, c.brand, c.visibility,
                               CASE WHEN c.embedding_model = @model THEN c.embedding END
                        FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.id
                        """, new { model = EmbedderModelId }, flags: CommandFlags.None, cancellationToken: ct))
                .Select(r => new IndexedChunk(r.Id, r.ArticleId, r.Title, r.HeadingPath, r.Text,
                    new ChunkPolicy(ParseTier(r.Tier), r.Locale, r.Brand, ParseVisibility(r.Visibility)), r.Embedding is null ? null : DenseVectorStore.ToVector(r.Embedding)));
            var index = new EmbeddedSearchIndex(ArticleContext.Blend(rows, c => c.ArticleId, c => c.Vector, ArticleContextWeight), pairs: PairWeight > 0);
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

    /// <summary>
    /// The dense query: each line (a message, newest first) embedded on its own and summed with weights decaying by
    /// <see cref="MessageDecay"/>, so the newest message leads and older context still steers. Empty when there is nothing to embed.
    /// </summary>
    internal async Task<float[]> QueryVectorAsync(string query, CancellationToken ct)
    {
        var lines = query.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
            return [];
        var embeddings = await embedder.GenerateAsync(lines, Ai.Encoders.EmbeddingInput.Query, ct);
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
