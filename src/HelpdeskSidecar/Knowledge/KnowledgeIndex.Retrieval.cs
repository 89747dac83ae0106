using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Policy-filtered hybrid retrieval: BM25 (FTS5) and dense vectors (in-process SIMD scan), each filtered inside its
/// own search, fused by reciprocal rank. Locales are searched in fallback order until k passages are found.
/// </summary>
internal sealed partial class KnowledgeIndex
{
    /// <summary>
    /// Reciprocal-rank-fusion constant. Lower than the usual 60 so that BM25's first place keeps its weight; this and
    /// the weights below were chosen on the doc2dial tuning slice only (eval retrieval --slice tune), see docs/benchmarks.md.
    /// </summary>
    public const int RrfK = 20;

    /// <summary>Weight of the dense list in the fusion (BM25 weighs 1): the offline embedder is weaker at rank 1 but finds the right document more often in the top 5.</summary>
    public const double DenseWeight = 0.3;

    /// <summary>How much of its article's mean vector each chunk vector carries: a passage is found through its document's topic too.</summary>
    public const float ArticleContextWeight = 3f;

    /// <summary>
    /// Weight of each older message in the dense query, relative to the one after it (messages come newest first).
    /// 1: on doc2dial the opening question names the topic as often as the newest one does, and decaying it cost recall.
    /// </summary>
    public const float MessageDecay = 1f;

    /// <summary>Above this many chunks, query terms found in more than <see cref="CommonTermShare"/> of them are dropped from BM25.</summary>
    public const int PruneAboveChunks = 5_000;

    public const double CommonTermShare = 0.05;

    private readonly ConcurrentDictionary<string, long> _termChunks = new(StringComparer.Ordinal);
    private long _chunkCount = -1;

    private readonly SemaphoreSlim _denseLock = new(1, 1);
    private volatile DenseVectorStore? _dense;
    private bool _embedderStateLoaded;

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(RetrievalRequest request, CancellationToken ct)
    {
        audit?.Record("knowledge.search", request.Query);
        if (request.DenseQuery is { } denseQuery)
            audit?.Record("knowledge.search", denseQuery);
        var terms = QueryText.Terms(request.Query);
        var lexicalTerms = await SelectiveTermsAsync(terms, ct);
        // A corpus-fitted embedder must carry the saved weights before it embeds the query (a fresh process has none yet).
        await EnsureEmbedderStateAsync(ct);
        var queryVector = request.Mode == RetrievalMode.Lexical ? [] : await QueryVectorAsync(request.DenseQuery ?? request.Query, ct);
        var dense = _external is null ? await DenseAsync(ct) : null;
        var passages = new List<RetrievedPassage>();
        var locales = request.Scope.LocaleChain();
        foreach (var locale in locales)
        {
            var need = request.K - passages.Count;
            if (need <= 0)
                break;
            if (_external is { } external)
            {
                var found = await ExternalSearchAsync(external, terms, lexicalTerms, queryVector, request, locale, need, ct);
                passages.AddRange(found.Select(p => locale == locales[0] ? p : p with { Reason = p.Reason + $" (fallback locale {locale})" }));
                continue;
            }
            var depth = Math.Max(need * 4, 40);
            var lexical = lexicalTerms.Count == 0 || request.Mode == RetrievalMode.Dense ? [] : await LexicalAsync(lexicalTerms, request.Scope, locale, depth, ct);
            var nearest = queryVector.Length == 0 ? [] : dense!.Search(queryVector, request.Scope, locale, depth);
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
            fused[id] = (current.Score + DenseWeight / (RrfK + i + 1), current.LexRank, current.Lex, i + 1, score);
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


    private void InvalidateDense()
    {
        _dense = null;
        _chunkCount = -1;
        _termChunks.Clear();
    }

    /// <summary>
    /// FTS5 scores every chunk that holds any query term, so a dialogue full of common words costs a scan of most of a
    /// large index while those words add almost nothing to BM25 (their IDF is near zero). On a large index such terms
    /// are dropped, keeping at least the eight rarest. Chunk counts per term are cached until the index changes.
    /// </summary>
    private async Task<IReadOnlyList<string>> SelectiveTermsAsync(IReadOnlyList<string> terms, CancellationToken ct)
    {
        if (terms.Count <= 8)
            return terms;
        await using var connection = await database.OpenAsync(ct);
        if (Interlocked.Read(ref _chunkCount) < 0)
            Interlocked.Exchange(ref _chunkCount, await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM chunks", cancellationToken: ct)));
        var total = Interlocked.Read(ref _chunkCount);
        if (total <= PruneAboveChunks)
            return terms;
        var counted = new List<(string Term, long Chunks)>(terms.Count);
        foreach (var term in terms)
        {
            if (!_termChunks.TryGetValue(term, out var chunks))
            {
                chunks = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH @query", new { query = QueryText.ToFtsQuery([term]) }, cancellationToken: ct));
                _termChunks[term] = chunks;
            }
            counted.Add((term, chunks));
        }
        var limit = (long)(total * CommonTermShare);
        var rarest = counted.Where(c => c.Chunks > 0).OrderBy(c => c.Chunks).Take(8).Select(c => c.Term).ToHashSet();
        return counted.Where(c => c.Chunks > 0 && (c.Chunks <= limit || rarest.Contains(c.Term))).Select(c => c.Term).ToList();
    }

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
