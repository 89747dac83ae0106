using Dapper;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Storage;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Knowledge;

/// <summary>A passage that matched a query, with its BM25 score (higher is better) and the terms that matched.</summary>
internal sealed record KnowledgeHit(long ChunkId, long ArticleId, string Title, string? Url, string HeadingPath, string Text, double Score, IReadOnlyList<string> MatchedTerms);

internal enum UpsertOutcome
{
    Added,
    Updated,
    Unchanged,

    /// <summary>Not indexed: the text carries a sidecar note marker, i.e. it is AI-written.</summary>
    Refused,
}

/// <summary>
/// The embedded knowledge index: articles and chunks in SQLite (the source of truth, with an FTS5 table that
/// <see cref="SearchAsync"/> reads); <see cref="RetrieveAsync"/> searches an in-memory snapshot of them (BM25 postings
/// and int8 vectors, see Embedded/EmbeddedSearchIndex.cs) and fuses the lists by reciprocal rank (KnowledgeIndex.Retrieval.cs).
/// </summary>
internal sealed partial class KnowledgeIndex(Database database, TimeProvider time, IEmbeddingGenerator<string, Embedding<float>> embedder, Copilot.Redaction.IOutboundTextAudit? audit = null, ILogger<KnowledgeIndex>? logger = null)
{
    /// <summary>BM25 plus the offline embedder: what tests and tools get when they build an index by hand.</summary>
    public KnowledgeIndex(Database database, TimeProvider time)
        : this(database, time, new OfflineEmbeddingGenerator())
    {
    }

    /// <summary>Adds or replaces an article and its chunks; an unchanged article (same content hash) is left alone.</summary>
    public async Task<UpsertOutcome> UpsertAsync(KnowledgeArticle article, CancellationToken ct)
    {
        // AI-written notes (or anything quoting one) never become knowledge: the model would learn from itself.
        if (IsAiWritten(article))
            return UpsertOutcome.Refused;
        var hash = article.ContentHash;
        await using var connection = await database.OpenAsync(ct);
        const string FindArticle = "SELECT id, content_hash FROM articles WHERE source = @Source AND external_id = @ExternalId";
        var before = await connection.QuerySingleOrDefaultAsync<(long Id, string Hash)?>(new CommandDefinition(FindArticle, article, cancellationToken: ct));
        if (before is { } same && same.Hash == hash)
            return UpsertOutcome.Unchanged;

        // Vectors are computed before the write transaction (a neural encoder takes a while), and only for chunks whose
        // embedded text is new: an unchanged chunk of a changed article keeps the vector it has.
        await EnsureEmbedderStateAsync(ct);
        var chunks = Chunker.Split(article);
        var texts = chunks.Select(c => EmbeddingText(article.Title, c.HeadingPath, c.Text)).ToList();
        var hashes = texts.Select(TextHash).ToList();
        var kept = before is { } previous ? await StoredVectorsAsync(connection, previous.Id, ct) : [];
        var vectors = await EmbedNewAsync(texts, hashes, kept, ct);

        await using var tx = await connection.BeginTransactionAsync(ct);
        var existing = await connection.QuerySingleOrDefaultAsync<(long Id, string Hash)?>(FindArticle, article, tx);
        if (existing is { } found && found.Hash == hash)
            return UpsertOutcome.Unchanged;

        long articleId;
        if (existing is { } old)
        {
            articleId = old.Id;
            await connection.ExecuteAsync("DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE article_id = @articleId)", new { articleId }, tx);
            await connection.ExecuteAsync("DELETE FROM chunks WHERE article_id = @articleId", new { articleId }, tx);
            await connection.ExecuteAsync(
                "UPDATE articles SET title = @Title, url = @Url, content_hash = @hash, updated_at = @now WHERE id = @articleId",
                new { article.Title, article.Url, hash, now = time.GetUtcNow().ToString("O"), articleId }, tx);
        }
        else
        {
            articleId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO articles (source, external_id, title, url, content_hash, updated_at)
                VALUES (@Source, @ExternalId, @Title, @Url, @hash, @now) RETURNING id
                """,
                new { article.Source, article.ExternalId, article.Title, article.Url, hash, now = time.GetUtcNow().ToString("O") }, tx);
        }

        var updatedAt = article.SourceUpdatedAt?.ToString("O");
        var model = EmbedderModelId;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            var chunkId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO chunks (article_id, ordinal, heading_path, text, source, tier, locale, brand, visibility, url, updated_at, content_hash, embedding, embedding_model)
                VALUES (@articleId, @Ordinal, @HeadingPath, @Text, @Source, @tier, @Locale, @Brand, @visibility, @Url, @updatedAt, @chunkHash, @embedding, @model)
                RETURNING id
                """,
                new
                {
                    articleId, chunk.Ordinal, chunk.HeadingPath, chunk.Text, article.Source, tier = TierName(article.Tier), article.Locale, article.Brand,
                    visibility = VisibilityName(article.Visibility), article.Url, updatedAt, chunkHash = hashes[i],
                    embedding = vectors[i], model,
                }, tx);
            await connection.ExecuteAsync(
                "INSERT INTO chunks_fts (rowid, title, headings, body) VALUES (@chunkId, @Title, @HeadingPath, @Text)",
                new { chunkId, article.Title, chunk.HeadingPath, chunk.Text }, tx);
        }
        await tx.CommitAsync(ct);
        InvalidateSearch();
        await PushArticleAsync(articleId, ct);
        return existing is null ? UpsertOutcome.Added : UpsertOutcome.Updated;
    }

    /// <summary>
    /// FTS5 BM25 straight from SQLite: the best passages for the terms, best first, title and headings weighing more
    /// than body text. No policy filter: for tools and tests; the pipeline uses <see cref="RetrieveAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(IReadOnlyList<string> terms, int k, CancellationToken ct)
    {
        if (terms.Count == 0)
            return [];
        var query = QueryText.ToFtsQuery(terms);
        audit?.Record("knowledge.search", query);
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long ChunkId, long ArticleId, string Title, string? Url, string HeadingPath, string Text, double Rank)>(
            new CommandDefinition(database.IsPostgres ? PostgresSearch : SqliteSearch,
                new { query = database.IsPostgres ? string.Join(" or ", terms) : query, k }, cancellationToken: ct));
        return rows.Select(r =>
        {
            var words = QueryText.Tokens(r.Title + " " + r.HeadingPath + " " + r.Text).Select(Stem).ToHashSet();
            var matched = terms.Where(t => words.Contains(Stem(t))).ToList();
            // SQLite's bm25() is negative with better matches lower; flip it so that higher is better.
            return new KnowledgeHit(r.ChunkId, r.ArticleId, r.Title, r.Url, r.HeadingPath, r.Text, -r.Rank, matched);
        }).ToList();
    }

    private const string SqliteSearch = """
        SELECT c.id, c.article_id, a.title, a.url, c.heading_path, c.text, bm25(chunks_fts, 4.0, 2.0, 1.0) AS rank
        FROM chunks_fts
        JOIN chunks c ON c.id = chunks_fts.rowid
        JOIN articles a ON a.id = c.article_id
        WHERE chunks_fts MATCH @query
        ORDER BY rank
        LIMIT @k
        """;

    /// <summary>
    /// PostgreSQL's full text over the same rows: title, headings and body weighted A, B and D (1, 0.5, 0.25: FTS5's
    /// 4 : 2 : 1), negated like bm25() so that lower ranks first.
    /// </summary>
    private const string PostgresSearch = """
        WITH q AS (SELECT websearch_to_tsquery('english', @query) AS query)
        SELECT c.id, c.article_id, a.title, a.url, c.heading_path, c.text,
               -ts_rank('{0.25, 0, 0.5, 1.0}', setweight(to_tsvector('english', f.title), 'A') || setweight(to_tsvector('english', f.headings), 'B') || setweight(to_tsvector('english', f.body), 'D'), q.query)::float8 AS rank
        FROM chunks_fts f
        CROSS JOIN q
        JOIN chunks c ON c.id = f.rowid
        JOIN articles a ON a.id = c.article_id
        WHERE (setweight(to_tsvector('english', f.title), 'A') || setweight(to_tsvector('english', f.headings), 'B') || setweight(to_tsvector('english', f.body), 'D')) @@ q.query
        ORDER BY rank, c.id
        LIMIT @k
        """;

    private static readonly string AiNoteMarker = Suggestions.NoteMarker.For("")[..^1];

    internal static bool IsAiWritten(KnowledgeArticle article) =>
        article.Sections.Any(s => s.Text.Contains(AiNoteMarker, StringComparison.Ordinal)) || article.Title.Contains(AiNoteMarker, StringComparison.Ordinal);

    public async Task<(long Articles, long Chunks)> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var articles = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM articles");
        var chunks = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM chunks");
        return (articles, chunks);
    }

    /// <summary>
    /// The languages the knowledge base holds: the primary subtag of each chunk's locale ("de-CH" → "de"), from the
    /// articles' own <c>locale</c> metadata (front matter or <c>kb import --locale</c>), lower-case, most chunks first.
    /// </summary>
    public async Task<IReadOnlyList<string>> LanguagesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var locales = await connection.QueryAsync<(string Locale, long Chunks)>(
            new CommandDefinition("SELECT locale, count(*) FROM chunks GROUP BY locale", cancellationToken: ct));
        return locales
            .GroupBy(l => l.Locale.Split('-', 2)[0].ToLowerInvariant())
            .OrderByDescending(g => g.Sum(l => l.Chunks)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .ToList();
    }

    /// <summary>
    /// A small suffix stripper, only to tell which query terms a passage matched (FTS5's porter tokenizer does the
    /// real stemming for search). It folds the forms that matter for that: invoice/invoices, update/updated/updating,
    /// box/boxes, delivery/deliveries.
    /// </summary>
    internal static string Stem(string word)
    {
        var w = word;
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
            w = w[..^3] + "y";
        else if (w.Length > 4 && w.EndsWith("es", StringComparison.Ordinal) && w[..^2] is var b && (b.EndsWith('s') || b.EndsWith('x') || b.EndsWith('z') || b.EndsWith("ch", StringComparison.Ordinal) || b.EndsWith("sh", StringComparison.Ordinal)))
            w = b;
        else if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal))
            w = w[..^1];
        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal))
            w = w[..^3];
        else if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal))
            w = w[..^2];
        if (w.Length > 3 && w.EndsWith('e'))
            w = w[..^1];
        return w;
    }
}
