using System.Globalization;
using System.Text.Json;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Reports;

/// <summary>One drafted suggestion as the reports see it: when, how it ended, and the labels it can be grouped by.</summary>
/// <param name="Inserted">An agent put the draft into the reply box from a helpdesk app ("Insert into reply") at least once.</param>
internal sealed record AcceptanceFact(
    string Id, DateTimeOffset CreatedAt, string? Verdict, double? Similarity, string? Intent, IReadOnlyList<string> Tags, string? AgentId, string? BrandId,
    bool Inserted = false, string? Provider = null);

/// <summary>What the reports read: drafts with their verdicts and grouping labels. Nothing here writes.</summary>
internal interface IAcceptanceReportQuery
{
    /// <param name="from">First day included (UTC), or none.</param>
    /// <param name="to">Last day included (UTC), or none.</param>
    Task<IReadOnlyList<AcceptanceFact>> DraftsAsync(DateOnly? from, DateOnly? to, CancellationToken ct);
}

/// <summary>
/// The read side of acceptance on SQLite: drafts (knowledge gaps have nothing to accept) created in a window of UTC days.
/// Reads only the columns and trace fields a report groups by, never the ticket text.
/// </summary>
internal sealed class AcceptanceQuery(Database database) : IAcceptanceReportQuery
{
    public async Task<IReadOnlyList<AcceptanceFact>> DraftsAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string CreatedAt, string? Verdict, double? Similarity, string? Intent, string? Tags, string? AgentId, string? BrandId, long Inserted, string Provider)>(
            new CommandDefinition(
                $"""
                SELECT id, created_at, verdict, similarity,
                       {database.Sql.JsonText("trace", "understanding.intent.label")}, {database.Sql.JsonText("trace", "understanding.tags")},
                       reply_author_id, brand_id,
                       (SELECT count(*) FROM suggestion_insertions i WHERE i.suggestion_id = suggestions.id), provider
                FROM suggestions
                WHERE kind = 'Draft' AND (@From IS NULL OR created_at >= @From) AND (@To IS NULL OR created_at < @To)
                ORDER BY created_at, id
                """,
                DayWindow.Of(from, to),
                cancellationToken: ct));
        return rows.Select(r => new AcceptanceFact(
            r.Id, DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture), r.Verdict, r.Similarity, r.Intent, TagsOf(r.Tags), r.AgentId, r.BrandId, r.Inserted > 0, r.Provider)).ToList();
    }

    private static IReadOnlyList<string> TagsOf(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind != JsonValueKind.Array ? []
            : doc.RootElement.EnumerateArray().Select(t => t.TryGetProperty("label", out var l) ? l.GetString() : null).OfType<string>().ToList();
    }
}
