using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Policy-filtered hybrid retrieval: BM25 over chunks (words and word pairs), BM25 over whole articles and dense vectors
/// (in-process SIMD scan), each filtered inside its own search, fused by reciprocal rank. Locales are searched in fallback
/// order until k passages are found. With Qdrant configured it answers instead, and the embedded snapshot covers its outages.
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

    /// <summary>
    /// How much of its article's mean vector each chunk vector carries (blended when read, see Embedded/ArticleContext.cs):
    /// a passage is found through its document's topic too. 3 suited the hashed embedder; with arctic-xs, 1 was as good
    /// at R@1 and better at R@5 on the tuning slice (0 / 1 / 3: 0.889 / 0.893 / 0.893 R@1, 0.981 / 0.982 / 0.981 R@5).
    /// </summary>
    public const float ArticleContextWeight = 1f;

    /// <summary>
    /// Weight of each older message in the dense query, relative to the one after it (messages come newest first).
    /// 1: on doc2dial the opening question names the topic as often as the newest one does, and decaying it cost recall.
    /// </summary>
    public const float MessageDecay = 1f;

    /// <summary>Above this many chunks, query terms found in more than <see cref="CommonTermShare"/> of them are dropped from BM25.</summary>
    public const int PruneAboveChunks = 5_000;

    public const double CommonTermShare = 0.05;

    /// <summary>Terms always kept by the pruning above, rarest first.</summary>
    public const int KeepRarestTerms = 8;

    /// <summary>Weight of a term from the newest message relative to one only in older messages.</summary>
    public const float LatestMessageWeight = 1f;

    /// <summary>Weight of a pair of adjacent words (0: pairs are not indexed).</summary>
    public const float PairWeight = 1.5f;

    /// <summary>At most this many distinct words (and as many pairs) from the query, newest message first.</summary>
    public const int MaxQueryTerms = 96;

    /// <summary>Weight of the article-level BM25 list in the fusion: each passage also scores by its article's rank.</summary>
    public const double ArticleWeight = 1.5;

    private bool _embedderStateLoaded;

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(RetrievalRequest request, CancellationToken ct)
    {
        audit?.Record("knowledge.search", request.Query);
        if (request.DenseQuery is { } denseQuery)
            audit?.Record("knowledge.search", denseQuery);
        var terms = QueryText.Terms(request.Query);
        // A corpus-fitted embedder must carry the saved weights before it embeds the query (a fresh process has none yet).
        await EnsureEmbedderStateAsync(ct);
        var queryVector = request.Mode == RetrievalMode.Lexical ? [] : await QueryVectorAsync(request.DenseQuery ?? request.Query, ct);
        var locales = request.Scope.LocaleChain();
        var outage = "";
        if (_external is { } external)
        {
            try
            {
                await EnsureExternalCurrentAsync(external, ct);
                // Qdrant's sparse side takes the embedded BM25 query (stems and pairs, weighted; SparseTerms hashes them)
                // unpruned, as there is no local snapshot to count document frequencies in; Qdrant supplies the IDF.
                var weightedTerms = request.Mode == RetrievalMode.Dense ? [] : WeightedQueryTerms(request.Query, search: null);
                var found = new List<RetrievedPassage>();
                foreach (var locale in locales)
                {
                    var need = request.K - found.Count;
                    if (need <= 0)
                        break;
                    var hits = await ExternalSearchAsync(external, terms, weightedTerms, queryVector, request, locale, need, ct);
                    found.AddRange(hits.Select(p => locale == locales[0] ? p : p with { Reason = p.Reason + $" (fallback locale {locale})" }));
                }
                return found;
            }
            catch (Exception ex) when (IsOutage(ex, ct))
            {
                // The pipeline must not fail because the vector database is down: SQLite holds every chunk and vector.
                if (logger is not null)
                    LogExternalDown(logger, ex.GetType().Name, ex.Message);
                outage = " [Qdrant unavailable, embedded index used]";
            }
        }

        var search = await SearchIndexAsync(ct);
        var weighted = request.Mode == RetrievalMode.Dense ? [] : WeightedQueryTerms(request.Query, search);
        var passages = new List<RetrievedPassage>();
        foreach (var locale in locales)
        {
            var need = request.K - passages.Count;
            if (need <= 0)
                break;
            if (search.Allowed(request.Scope, locale) is not { } allowed)
                continue;
            var depth = Math.Max(need * 4, 40);
            var lexical = search.Lexical(weighted, allowed, depth);
            var articles = ArticleWeight > 0 && weighted.Count > 0 ? search.ArticleLexical(weighted, allowed, depth) : [];
            var nearest = queryVector.Length == 0 ? [] : search.Dense(queryVector, allowed, depth);
            var fallback = locale == locales[0] ? "" : $" (fallback locale {locale})";
            passages.AddRange((await FuseAsync(terms, lexical, nearest, need, ct, articles, search, request.Scope, locale)).Select(p => p with { Reason = p.Reason + fallback + outage }));
        }
        return passages;
    }

    /// <summary>Connection refused, a timeout, or a 5xx after the resilience handler's retries; a cancelled request is not an outage.</summary>
    private static bool IsOutage(Exception ex, CancellationToken ct) =>
        !ct.IsCancellationRequested && ex is HttpRequestException or TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException or Qdrant.QdrantException { Status: >= System.Net.HttpStatusCode.InternalServerError };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Qdrant is unavailable ({Error}: {Message}); this query used the embedded index")]
    private static partial void LogExternalDown(ILogger logger, string error, string message);

    /// <summary>
    /// The BM25 query: Porter-stemmed words (and, when <see cref="PairWeight"/> &gt; 0, adjacent pairs) of every message,
    /// words of the newest message weighted by <see cref="LatestMessageWeight"/>. On a large index, words in more than
    /// <see cref="CommonTermShare"/> of the chunks are dropped (their IDF is near zero, their postings long), keeping the
    /// <see cref="KeepRarestTerms"/> rarest.
    /// </summary>
    internal static IReadOnlyList<WeightedTerm> WeightedQueryTerms(string query, EmbeddedSearchIndex? search)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        var words = 0;
        var pairs = 0;
        var lines = query.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var line = 0; line < lines.Length; line++)
        {
            var weight = line == 0 ? LatestMessageWeight : 1f;
            string? previous = null;
            foreach (var token in QueryText.Tokens(lines[line]))
            {
                if (!QueryText.IsContentTerm(token))
                {
                    // stop word: the pair skips it
                    continue;
                }
                var stem = PorterStemmer.Stem(token);
                if (weights.TryGetValue(stem, out var old))
                    weights[stem] = Math.Max(old, weight);
                else if (words < MaxQueryTerms)
                {
                    weights[stem] = weight;
                    words++;
                }
                if (PairWeight > 0 && previous is not null && pairs < MaxQueryTerms)
                {
                    var pair = previous + " " + stem;
                    if (weights.TryAdd(pair, PairWeight * weight))
                        pairs++;
                }
                previous = stem;
            }
        }
        var terms = weights.Select(p => new WeightedTerm(p.Key, p.Value)).ToList();
        if (search is null || search.Count <= PruneAboveChunks || terms.Count <= KeepRarestTerms)
            return terms;
        var limit = (int)(search.Count * CommonTermShare);
        var counted = terms.Select(t => (Term: t, Df: search.DocumentFrequency(t.Term))).Where(t => t.Df > 0).ToList();
        var rarest = counted.OrderBy(t => t.Df).Take(KeepRarestTerms).Select(t => t.Term.Term).ToHashSet(StringComparer.Ordinal);
        return counted.Where(t => t.Df <= limit || rarest.Contains(t.Term.Term)).Select(t => t.Term).ToList();
    }

    private async Task<List<RetrievedPassage>> FuseAsync(
        IReadOnlyList<string> terms, IReadOnlyList<(long ChunkId, double Score)> lexical, IReadOnlyList<(long ChunkId, float Score)> dense, int k, CancellationToken ct,
        IReadOnlyList<(long ArticleId, double Score)>? articles = null, EmbeddedSearchIndex? search = null, RetrievalScope? scope = null, string? locale = null)
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
        // The article-level list: each passage also scores by its article's rank there (a dialogue touching several sections adds up).
        var articleRank = new Dictionary<long, int>(articles?.Count ?? 0);
        if (articles is { Count: > 0 } && search is not null)
        {
            for (var i = 0; i < articles.Count; i++)
                articleRank[articles[i].ArticleId] = i + 1;
            foreach (var id in fused.Keys.ToList())
            {
                if (search.ArticleOfChunk(id) is { } article && articleRank.TryGetValue(article, out var rank))
                {
                    var f = fused[id];
                    fused[id] = f with { Score = f.Score + ArticleWeight / (RrfK + rank) };
                }
            }
        }
        var top = fused.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Key).Take(k).ToList();
        if (top.Count == 0)
            return [];
        var ids = top.Select(p => p.Key).ToArray();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ChunkRow>(new CommandDefinition(
            $"""
            SELECT c.id AS ChunkId, c.article_id AS ArticleId, a.title AS Title, COALESCE(c.url, a.url) AS Url, c.heading_path AS HeadingPath,
                   c.text AS Text, c.tier AS Tier, c.locale AS Locale, c.brand AS Brand, c.visibility AS Visibility
            FROM chunks c JOIN articles a ON a.id = c.article_id WHERE {database.Sql.In("c.id", "@ids")}
            """, new { ids }, cancellationToken: ct))).ToDictionary(r => r.ChunkId);
        var passages = new List<RetrievedPassage>(top.Count);
        foreach (var (id, f) in top)
        {
            if (!rows.TryGetValue(id, out var row))
                continue; // removed between the search and this read
            if (scope is not null && locale is not null && !Allows(scope, locale, row))
                continue; // its policy fields changed since the snapshot was built
            var matched = MatchedTerms(terms, row.Title, row.HeadingPath, row.Text);
            var reason = (f.LexRank, f.DenseRank) switch
            {
                ({ } l, { } d) => $"keywords #{l} ({string.Join(", ", matched)}) and meaning #{d} (cosine {f.Dense:0.00})",
                ({ } l, null) => $"keywords #{l} ({string.Join(", ", matched)})",
                _ => $"meaning #{f.DenseRank} (cosine {f.Dense:0.00})",
            };
            var hit = new KnowledgeHit(row.ChunkId, row.ArticleId, row.Title, row.Url, row.HeadingPath, row.Text, f.Score, matched);
            passages.Add(new RetrievedPassage(hit, f.Score, f.LexRank, f.Lex, f.DenseRank, f.Dense,
                ParseTier(row.Tier), row.Locale, row.Brand, ParseVisibility(row.Visibility), reason)
            {
                ArticleRank = articleRank.TryGetValue(row.ArticleId, out var byArticle) ? byArticle : null,
            });
        }
        return passages;
    }

    private static string EmbeddingText(string title, string headingPath, string text) =>
        headingPath.StartsWith(title, StringComparison.Ordinal) ? headingPath + "\n" + text : title + "\n" + headingPath + "\n" + text;

    private static IReadOnlyList<string> MatchedTerms(IReadOnlyList<string> terms, string title, string headingPath, string text)
    {
        var words = QueryText.Tokens(title + " " + headingPath + " " + text).Select(Stem).ToHashSet();
        return terms.Where(t => words.Contains(Stem(t))).ToList();
    }

    /// <summary>A chunk's content hash (<c>chunks.content_hash</c>): of the text its vector is made from, so the same hash means the same vector.</summary>
    private static string TextHash(string embeddingText) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(embeddingText)));

    /// <summary>The scope's filter on a chunk's stored fields (the same rule as <see cref="EmbeddedSearchIndex.Allowed"/>).</summary>
    private static bool Allows(RetrievalScope scope, string locale, ChunkRow row) =>
        scope.Tiers.Contains(ParseTier(row.Tier)) && string.Equals(row.Locale, locale, StringComparison.OrdinalIgnoreCase)
        && (int)ParseVisibility(row.Visibility) <= (int)scope.Visibility && scope.AllowsBrand(row.Brand);

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
