using System.Buffers.Text;
using System.Globalization;
using System.Text;
using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Knowledge;

/// <summary>The SQL of <see cref="ArticleCatalog"/>: the same on both providers but for reading the trace's JSON array.</summary>
internal sealed partial class ArticleCatalog
{
    private static readonly object CitationParameters = new
    {
        draftKind = nameof(Suggestions.SuggestionKind.Draft),
        sentAsIs = Verdicts.SentAsIs,
        edited = Verdicts.Edited,
    };

    /// <summary>
    /// One row per (article, draft citing it): <c>json_each</c> on SQLite, <c>jsonb_array_elements</c> on PostgreSQL.
    /// With <paramref name="prefilter"/>, only traces whose text holds <c>@traceHint</c> are parsed (one article's page:
    /// a plain text match skips most of the JSON work; the exact article id is still compared after parsing).
    /// </summary>
    private string Cites(bool prefilter = false) => prefilter ? CitesSql.Replace("WHERE s.kind = @draftKind", "WHERE s.kind = @draftKind AND s.trace LIKE @traceHint", StringComparison.Ordinal) : CitesSql;

    private string CitesSql => database.IsPostgres
        ? """
          cites AS (
              SELECT DISTINCT CAST(j.value ->> 'article_id' AS BIGINT) AS ArticleId, s.id AS SuggestionId, s.provider AS Provider,
                     s.ticket_id AS TicketId, s.created_at AS CreatedAt, s.verdict AS Verdict
              FROM suggestions s
              CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.trace::jsonb -> 'sources') = 'array' THEN s.trace::jsonb -> 'sources' ELSE '[]'::jsonb END) j
              WHERE s.kind = @draftKind)
          """
        : """
          cites AS (
              SELECT DISTINCT CAST(json_extract(j.value, '$.article_id') AS INTEGER) AS ArticleId, s.id AS SuggestionId, s.provider AS Provider,
                     s.ticket_id AS TicketId, s.created_at AS CreatedAt, s.verdict AS Verdict
              FROM suggestions s, json_each(s.trace, '$.sources') j
              WHERE s.kind = @draftKind)
          """;

    /// <summary>The CTE <c>listed</c>: each article (under <paramref name="filter"/>) with its chunk fields and citation counts.</summary>
    private string RowsSql(string filter, bool prefilter = false) => $"""
        WITH {Cites(prefilter)},
        per AS (
            SELECT ArticleId, COUNT(*) AS Cited, SUM(CASE WHEN Verdict IN (@sentAsIs, @edited) THEN 1 ELSE 0 END) AS Accepted
            FROM cites GROUP BY ArticleId),
        meta AS (
            SELECT article_id, COUNT(*) AS ChunkCount, MIN(tier) AS Tier, MIN(visibility) AS Visibility, MIN(brand) AS Brand,
                   MIN(locale) AS Locale, MAX(updated_at) AS SourceUpdatedAt
            FROM chunks GROUP BY article_id),
        listed AS (
            SELECT a.id AS Id, a.source AS Source, a.external_id AS ExternalId, a.title AS Title, a.url AS Url, a.updated_at AS IndexedAt,
                   COALESCE(m.Tier, 'article') AS Tier, COALESCE(m.Visibility, 'public') AS Visibility, m.Brand AS Brand,
                   COALESCE(m.Locale, 'en') AS Locale, m.SourceUpdatedAt AS SourceUpdatedAt,
                   COALESCE(m.ChunkCount, 0) AS ChunkCount, COALESCE(p.Cited, 0) AS Cited, COALESCE(p.Accepted, 0) AS Accepted,
                   lower(a.title) AS TitleKey, COALESCE(m.SourceUpdatedAt, a.updated_at) AS UpdatedKey
            FROM articles a
            LEFT JOIN meta m ON m.article_id = a.id
            LEFT JOIN per p ON p.ArticleId = a.id
            {filter})
        """;

    /// <summary>Settable properties: SQLite reports an all-NULL column as BLOB, which breaks constructor matching.</summary>
    private sealed class SummaryRow
    {
        public long Id { get; set; }
        public string Source { get; set; } = "";
        public string ExternalId { get; set; } = "";
        public string Title { get; set; } = "";
        public string? Url { get; set; }
        public string IndexedAt { get; set; } = "";
        public string Tier { get; set; } = "article";
        public string Visibility { get; set; } = "public";
        public string? Brand { get; set; }
        public string Locale { get; set; } = "en";
        public string? SourceUpdatedAt { get; set; }
        public long ChunkCount { get; set; }
        public long Cited { get; set; }
        public long Accepted { get; set; }
        public string TitleKey { get; set; } = "";
        public string UpdatedKey { get; set; } = "";

        public ArticleSummary ToSummary() => new(Id, Source, OriginOf(Source, Tier), ExternalId, Title, Url, Tier, Visibility, Brand, Locale,
            SourceUpdatedAt, IndexedAt, ChunkCount, Cited, Accepted);
    }

    private sealed class ChunkRow
    {
        public long Id { get; set; }
        public long Position { get; set; }
        public string HeadingPath { get; set; } = "";
        public string Text { get; set; } = "";
        public string? EmbeddingModel { get; set; }
        public long HasVector { get; set; }
    }

    private sealed class CitingRow
    {
        public long ArticleId { get; set; }
        public string SuggestionId { get; set; } = "";
        public string Provider { get; set; } = "";
        public string TicketId { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? Verdict { get; set; }
    }
}

/// <summary>
/// The article list's page cursor: the order, and the last row's sort key and id (keyset paging, so a page does not
/// shift when articles are added before it). Opaque to callers: base64url of <c>v1|order|id|key</c>.
/// </summary>
internal static class ArticleCursor
{
    public readonly record struct Position(string Key, long Id);

    public static string Encode(ArticleSort sort, string key, long id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', "v1", sort.ToString(), id.ToString(CultureInfo.InvariantCulture), key)));

    public static Position Decode(string cursor, ArticleSort sort)
    {
        const string Refused = "'cursor' is not one this list handed out for this order; start again without it.";
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new ArticleQueryException(Refused);
        }
        var parts = text.Split('\n', 4);
        if (parts.Length != 4 || parts[0] != "v1" || parts[1] != sort.ToString() || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new ArticleQueryException(Refused);
        if (sort is ArticleSort.Chunks or ArticleSort.Cited or ArticleSort.Accepted && !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new ArticleQueryException(Refused);
        return new Position(parts[3], id);
    }
}
