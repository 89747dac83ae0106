using System.Globalization;
using System.Text;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Knowledge;

/// <summary>How the article list is ordered; each order has one direction (titles A→Z, the rest largest or newest first).</summary>
internal enum ArticleSort
{
    Title,
    Updated,
    Chunks,
    Cited,
    Accepted,
}

/// <summary>A page of the article list: <paramref name="Text"/> matches title, id, URL, headings or passage text (case-insensitive).</summary>
internal sealed record ArticleQuery(string? Text, ArticleSort Sort = ArticleSort.Title, string? Cursor = null, int Limit = 25)
{
    public const int MaxLimit = 200;
    public const int MaxTextLength = 200;
}

/// <summary>
/// One article as the console lists it: where it comes from, its policy fields (as its chunks carry them), when it
/// changed, how many chunks it has, and how many drafts cited it and how many of those the agents accepted (sent as is or edited).
/// </summary>
internal sealed record ArticleSummary(
    long Id, string Source, string Origin, string ExternalId, string Title, string? Url, string Tier, string Visibility, string? Brand, string Locale,
    string? SourceUpdatedAt, string IndexedAt, long Chunks, long CitedInDrafts, long Accepted);

internal sealed record ArticlePage(IReadOnlyList<ArticleSummary> Items, long Total, string? NextCursor);

/// <summary>One passage of an article: its position, text, the model its vector was made with (null: no vector yet).</summary>
internal sealed record ArticleChunk(long Id, int Position, string HeadingPath, string Text, string? EmbeddingModel, bool HasVector);

/// <summary>The drafts that cited an article, by verdict (<c>null</c> verdict: pending).</summary>
internal sealed record ArticleCitations(long CitedInDrafts, long Accepted, long SentAsIs, long Edited, long Rejected, long NoReply, long Superseded, long Pending);

/// <summary>A draft that cited the article (newest first, a few), for the article page.</summary>
internal sealed record CitingDraft(string SuggestionId, string Provider, string TicketId, string CreatedAt, string? Verdict);

internal sealed record ArticleDetail(ArticleSummary Article, ArticleCitations Citations, IReadOnlyList<ArticleChunk> Chunks, IReadOnlyList<CitingDraft> RecentDrafts);

/// <summary>The article list's query was not understood (a cursor from another order, a search too long…): the message says which.</summary>
internal sealed class ArticleQueryException(string message) : Exception(message);

/// <summary>
/// Read-only queries over the knowledge base for the console and <c>/api/knowledge</c>: the article list (search, order,
/// keyset pages) and one article with its chunks. Citation counts come from the stored suggestions: each draft's
/// <c>trace.sources[].article_id</c> (what the note cited), with the draft's verdict; a draft citing an article in
/// several passages counts once. Only drafts count (a withheld draft was never shown to an agent).
/// </summary>
internal sealed partial class ArticleCatalog(Database database)
{
    public const int RecentDraftCount = 10;

    public async Task<ArticlePage> ListAsync(ArticleQuery query, CancellationToken ct)
    {
        if (query.Limit is < 1 or > ArticleQuery.MaxLimit)
            throw new ArticleQueryException($"'limit' must be between 1 and {ArticleQuery.MaxLimit}.");
        var text = query.Text?.Trim();
        if (text is { Length: > ArticleQuery.MaxTextLength })
            throw new ArticleQueryException($"'q' must be at most {ArticleQuery.MaxTextLength} characters.");
        ArticleCursor.Position? after = query.Cursor is { Length: > 0 } cursor ? ArticleCursor.Decode(cursor, query.Sort) : null;

        var parameters = new DynamicParameters(CitationParameters);
        var filter = "";
        if (!string.IsNullOrEmpty(text))
        {
            parameters.Add("pattern", "%" + EscapeLike(text.ToLowerInvariant()) + "%");
            filter = """
                WHERE lower(a.title) LIKE @pattern ESCAPE '\' OR lower(a.external_id) LIKE @pattern ESCAPE '\' OR lower(COALESCE(a.url, '')) LIKE @pattern ESCAPE '\'
                   OR EXISTS (SELECT 1 FROM chunks t WHERE t.article_id = a.id AND (lower(t.text) LIKE @pattern ESCAPE '\' OR lower(t.heading_path) LIKE @pattern ESCAPE '\'))
                """;
        }
        var (key, descending, numeric) = SortKey(query.Sort);
        var op = descending ? "<" : ">";
        var page = "";
        if (after is { } a)
        {
            parameters.Add("afterKey", numeric ? long.Parse(a.Key, CultureInfo.InvariantCulture) : a.Key);
            parameters.Add("afterId", a.Id);
            page = $"WHERE {key} {op} @afterKey OR ({key} = @afterKey AND Id {op} @afterId)";
        }
        parameters.Add("take", query.Limit + 1);
        var direction = descending ? "DESC" : "ASC";

        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM articles a {filter}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            $"""
            {RowsSql(filter)}
            SELECT * FROM listed {page}
            ORDER BY {key} {direction}, Id {direction}
            LIMIT @take
            """, parameters, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > query.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = ArticleCursor.Encode(query.Sort, KeyOf(query.Sort, last), last.Id);
        }
        return new ArticlePage(rows.Select(r => r.ToSummary()).ToList(), total, next);
    }

    /// <summary>The article, its chunks in order, its citation counts and its newest citing drafts; null when there is no such article.</summary>
    public async Task<ArticleDetail?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var parameters = new DynamicParameters(CitationParameters);
        parameters.Add("id", id);
        // How System.Text.Json writes the source's article id in a stored trace (no spaces): a cheap first cut before the JSON is parsed.
        parameters.Add("traceHint", $"%\"article_id\":{id.ToString(CultureInfo.InvariantCulture)}%");
        var row = await connection.QuerySingleOrDefaultAsync<SummaryRow>(new CommandDefinition(
            $"""
            {RowsSql("WHERE a.id = @id", prefilter: true)}
            SELECT * FROM listed
            """, parameters, cancellationToken: ct));
        if (row is null)
            return null;
        var chunks = (await connection.QueryAsync<ChunkRow>(new CommandDefinition(
            """
            SELECT id AS Id, ordinal AS Position, heading_path AS HeadingPath, text AS Text, embedding_model AS EmbeddingModel,
                   CASE WHEN embedding IS NULL THEN 0 ELSE 1 END AS HasVector
            FROM chunks WHERE article_id = @id ORDER BY ordinal, id
            """, new { id }, cancellationToken: ct)))
            .Select(c => new ArticleChunk(c.Id, (int)c.Position, c.HeadingPath, c.Text, c.EmbeddingModel, c.HasVector != 0)).ToList();
        var citing = (await connection.QueryAsync<CitingRow>(new CommandDefinition(
            $"""
            WITH {Cites(prefilter: true)} SELECT SuggestionId, Provider, TicketId, CreatedAt, Verdict FROM cites WHERE ArticleId = @id ORDER BY CreatedAt DESC, SuggestionId DESC
            """, parameters, cancellationToken: ct))).ToList();
        var citations = new ArticleCitations(
            citing.Count,
            citing.Count(c => c.Verdict is Suggestions.Acceptance.Verdicts.SentAsIs or Suggestions.Acceptance.Verdicts.Edited),
            citing.Count(c => c.Verdict == Suggestions.Acceptance.Verdicts.SentAsIs),
            citing.Count(c => c.Verdict == Suggestions.Acceptance.Verdicts.Edited),
            citing.Count(c => c.Verdict == Suggestions.Acceptance.Verdicts.Rejected),
            citing.Count(c => c.Verdict == Suggestions.Acceptance.Verdicts.NoReply),
            citing.Count(c => c.Verdict == Suggestions.Acceptance.Verdicts.Superseded),
            citing.Count(c => c.Verdict is null));
        var recent = citing.Take(RecentDraftCount).Select(c => new CitingDraft(c.SuggestionId, c.Provider, c.TicketId, c.CreatedAt, c.Verdict)).ToList();
        return new ArticleDetail(row.ToSummary(), citations, chunks, recent);
    }

    /// <summary>The brands the knowledge carries (for the console's brand field), at most 200.</summary>
    public async Task<IReadOnlyList<string>> BrandsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT brand FROM chunks WHERE brand IS NOT NULL ORDER BY brand LIMIT 200", cancellationToken: ct))).ToList();
    }

    /// <summary>Where an article comes from, as the console groups it: a helpdesk's help center, solved tickets, or documents imported from files.</summary>
    public static string OriginOf(string source, string tier) =>
        tier == KnowledgeIndex.TierName(KnowledgeTier.PastTicket) ? "solved_tickets"
        : source is Sync.HelpdeskArticles.ZendeskSource or Sync.HelpdeskArticles.FreshdeskSource ? "help_center"
        : "docs";

    private static string EscapeLike(string text) =>
        new StringBuilder(text).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").ToString();

    private static (string Key, bool Descending, bool Numeric) SortKey(ArticleSort sort) => sort switch
    {
        ArticleSort.Updated => ("UpdatedKey", true, false),
        ArticleSort.Chunks => ("ChunkCount", true, true),
        ArticleSort.Cited => ("Cited", true, true),
        ArticleSort.Accepted => ("Accepted", true, true),
        _ => ("TitleKey", false, false),
    };

    private static string KeyOf(ArticleSort sort, SummaryRow row) => sort switch
    {
        ArticleSort.Updated => row.UpdatedKey,
        ArticleSort.Chunks => row.ChunkCount.ToString(CultureInfo.InvariantCulture),
        ArticleSort.Cited => row.Cited.ToString(CultureInfo.InvariantCulture),
        ArticleSort.Accepted => row.Accepted.ToString(CultureInfo.InvariantCulture),
        _ => row.TitleKey,
    };
}
