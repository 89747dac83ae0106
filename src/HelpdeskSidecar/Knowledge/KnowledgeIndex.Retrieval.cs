using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Policy-filtered hybrid retrieval: BM25 (FTS5) and dense vectors (in-process SIMD scan), each filtered inside its
/// own search, fused by reciprocal rank. Locales are searched in fallback order until k passages are found.
/// </summary>
internal sealed partial class KnowledgeIndex
{
    /// <summary>The usual RRF constant (Cormack et al. 2009): damps the head so that agreement between retrievers wins.</summary>
    public const int RrfK = 60;

    private readonly SemaphoreSlim _denseLock = new(1, 1);
    private volatile DenseVectorStore? _dense;
    private bool _embedderStateLoaded;

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(RetrievalRequest request, CancellationToken ct)
    {
        var terms = QueryText.Terms(request.Query);
        var queryVector = (await embedder.GenerateAsync([request.DenseQuery ?? request.Query], cancellationToken: ct))[0].Vector;
        var dense = await DenseAsync(ct);
        var passages = new List<RetrievedPassage>();
        var locales = request.Scope.LocaleChain();
        foreach (var locale in locales)
        {
            var need = request.K - passages.Count;
            if (need <= 0)
                break;
            var depth = Math.Max(need * 4, 40);
            var lexical = terms.Count == 0 || request.Mode == RetrievalMode.Dense ? [] : await LexicalAsync(terms, request.Scope, locale, depth, ct);
            var nearest = request.Mode == RetrievalMode.Lexical ? [] : dense.Search(queryVector.Span, request.Scope, locale, depth);
            var fallback = locale == locales[0] ? "" : $" (fallback locale {locale})";
            passages.AddRange((await FuseAsync(terms, lexical, nearest, need, ct)).Select(p => p with { Reason = p.Reason + fallback }));
        }
        return passages;
    }

    private async Task<List<RetrievedPassage>> FuseAsync(
        IReadOnlyList<string> terms, IReadOnlyList<(long ChunkId, double Score)> lexical, IReadOnlyList<(long ChunkId, float Score)> dense, int k, CancellationToken ct)
    {
        var fused = new Dictionary<long, (double Score, int? LexRank, double? Lex, int? DenseRank, double? Dense)>();
        for (var i = 0; i < lexical.Count; i++)
        {
            var (id, score) = lexical[i];
            fused[id] = (1.0 / (RrfK + i + 1), i + 1, score, null, null);
        }
        for (var i = 0; i < dense.Count; i++)
        {
            var (id, score) = dense[i];
            var current = fused.GetValueOrDefault(id);
            fused[id] = (current.Score + 1.0 / (RrfK + i + 1), current.LexRank, current.Lex, i + 1, score);
        }
        var top = fused.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Key).Take(k).ToList();
        if (top.Count == 0)
            return [];
        var ids = top.Select(p => p.Key).ToArray();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ChunkRow>(new CommandDefinition(
            """
            SELECT c.id AS ChunkId, c.article_id AS ArticleId, a.title AS Title, COALESCE(c.url, a.url) AS Url, c.heading_path AS HeadingPath,
                   c.text AS Text, c.tier AS Tier, c.locale AS Locale, c.brand AS Brand, c.visibility AS Visibility
            FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN @ids
            """, new { ids }, cancellationToken: ct))).ToDictionary(r => r.ChunkId);
        var passages = new List<RetrievedPassage>(top.Count);
        foreach (var (id, f) in top)
        {
            if (!rows.TryGetValue(id, out var row))
                continue; // removed between the search and this read
            var matched = MatchedTerms(terms, row.Title, row.HeadingPath, row.Text);
            var reason = (f.LexRank, f.DenseRank) switch
            {
                ({ } l, { } d) => $"keywords #{l} ({string.Join(", ", matched)}) and meaning #{d} (cosine {f.Dense:0.00})",
                ({ } l, null) => $"keywords #{l} ({string.Join(", ", matched)})",
                _ => $"meaning #{f.DenseRank} (cosine {f.Dense:0.00})",
            };
            var hit = new KnowledgeHit(row.ChunkId, row.ArticleId, row.Title, row.Url, row.HeadingPath, row.Text, f.Score, matched);
            passages.Add(new RetrievedPassage(hit, f.Score, f.LexRank, f.Lex, f.DenseRank, f.Dense,
                ParseTier(row.Tier), row.Locale, row.Brand, ParseVisibility(row.Visibility), reason));
        }
        return passages;
    }

    /// <summary>BM25 over the chunks the scope allows in one locale; the filter is part of the query, so LIMIT counts only allowed chunks.</summary>
    internal async Task<IReadOnlyList<(long ChunkId, double Score)>> LexicalAsync(IReadOnlyList<string> terms, RetrievalScope scope, string locale, int k, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, double Rank)>(new CommandDefinition(
            """
            SELECT c.id, bm25(chunks_fts, 4.0, 2.0, 1.0) AS rank
            FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
            WHERE chunks_fts MATCH @query
              AND c.tier IN @tiers AND c.locale = @locale COLLATE NOCASE AND c.visibility IN @visibility
              AND (c.brand IS NULL OR c.brand = @brand)
            ORDER BY rank
            LIMIT @k
            """,
            new
            {
                query = QueryText.ToFtsQuery(terms),
                tiers = scope.Tiers.Select(TierName).ToArray(),
                locale,
                visibility = scope.Visibility == KnowledgeVisibility.Agents ? new[] { "public", "agents" } : ["public"],
                brand = scope.Brand,
                k,
            }, cancellationToken: ct));
        return rows.Select(r => (r.Id, -r.Rank)).ToList();
    }

    /// <summary>
    /// Refits a corpus-fitted embedder (the offline one) on every chunk and re-embeds them all, so that term weights
    /// reflect the whole knowledge base rather than what existed when each article arrived. Run after an import.
    /// </summary>
    public async Task<int> RefitEmbeddingsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var chunks = (await connection.QueryAsync<(long Id, string Title, string HeadingPath, string Text)>(new CommandDefinition(
            "SELECT c.id, a.title, c.heading_path, c.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.id", cancellationToken: ct))).ToList();
        var texts = chunks.Select(c => EmbeddingText(c.Title, c.HeadingPath, c.Text)).ToList();
        if (embedder is ICorpusFittedEmbedder fitted)
        {
            fitted.Fit(texts);
            _embedderStateLoaded = true;
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        const int Batch = 256;
        for (var start = 0; start < chunks.Count; start += Batch)
        {
            var slice = texts.Skip(start).Take(Batch).ToList();
            var vectors = await embedder.GenerateAsync(slice, cancellationToken: ct);
            for (var i = 0; i < slice.Count; i++)
                await connection.ExecuteAsync("UPDATE chunks SET embedding = @blob WHERE id = @id",
                    new { blob = DenseVectorStore.ToBlob(vectors[i].Vector.Span), id = chunks[start + i].Id }, tx);
        }
        if (embedder is ICorpusFittedEmbedder model)
            await connection.ExecuteAsync(
                "INSERT INTO embedding_models (name, state, updated_at) VALUES (@name, @state, @now) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                new { name = model.ModelName, state = model.SaveState(), now = time.GetUtcNow().ToString("O") }, tx);
        await tx.CommitAsync(ct);
        InvalidateDense();
        return chunks.Count;
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

    private async Task<DenseVectorStore> DenseAsync(CancellationToken ct)
    {
        if (_dense is { } ready)
            return ready;
        await _denseLock.WaitAsync(ct);
        try
        {
            if (_dense is { } built)
                return built;
            await EnsureEmbedderStateAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            var rows = (await connection.QueryAsync<(long Id, string Tier, string Locale, string? Brand, string Visibility, byte[] Embedding)>(new CommandDefinition(
                    "SELECT id, tier, locale, brand, visibility, embedding FROM chunks WHERE embedding IS NOT NULL ORDER BY id", cancellationToken: ct)))
                .Select(r => (r.Id, new ChunkPolicy(ParseTier(r.Tier), r.Locale, r.Brand, ParseVisibility(r.Visibility)), DenseVectorStore.ToVector(r.Embedding)))
                .ToList();
            var dimensions = rows.Count == 0 ? 0 : rows.Min(r => r.Item3.Length);
            var store = new DenseVectorStore(dimensions, rows);
            _dense = store;
            return store;
        }
        finally
        {
            _denseLock.Release();
        }
    }

    private void InvalidateDense() => _dense = null;

    private static string EmbeddingText(string title, string headingPath, string text) =>
        headingPath.StartsWith(title, StringComparison.Ordinal) ? headingPath + "\n" + text : title + "\n" + headingPath + "\n" + text;

    private static IReadOnlyList<string> MatchedTerms(IReadOnlyList<string> terms, string title, string headingPath, string text)
    {
        var words = QueryText.Tokens(title + " " + headingPath + " " + text).Select(Stem).ToHashSet();
        return terms.Where(t => words.Contains(Stem(t))).ToList();
    }

    private static string ChunkHash(KnowledgeChunk chunk) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(chunk.HeadingPath + "\n" + chunk.Text)));

    internal static string TierName(KnowledgeTier tier) => tier switch
    {
        KnowledgeTier.Faq => "faq",
        KnowledgeTier.PastTicket => "past_ticket",
        KnowledgeTier.Internal => "internal",
        _ => "article",
    };

    internal static KnowledgeTier ParseTier(string name) => name switch
    {
        "faq" => KnowledgeTier.Faq,
        "past_ticket" => KnowledgeTier.PastTicket,
        "internal" => KnowledgeTier.Internal,
        _ => KnowledgeTier.Article,
    };

    internal static string VisibilityName(KnowledgeVisibility visibility) => visibility == KnowledgeVisibility.Agents ? "agents" : "public";

    internal static KnowledgeVisibility ParseVisibility(string name) => name == "agents" ? KnowledgeVisibility.Agents : KnowledgeVisibility.Public;

    /// <summary>Settable properties rather than a positional record: SQLite reports an all-NULL column's type as BLOB, which breaks constructor matching.</summary>
    private sealed class ChunkRow
    {
        public long ChunkId { get; set; }
        public long ArticleId { get; set; }
        public string Title { get; set; } = "";
        public string? Url { get; set; }
        public string HeadingPath { get; set; } = "";
        public string Text { get; set; } = "";
        public string Tier { get; set; } = "article";
        public string Locale { get; set; } = "en";
        public string? Brand { get; set; }
        public string Visibility { get; set; } = "public";
    }
}
