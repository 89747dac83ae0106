using System.Globalization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>One customer message as the themes see it: its redacted excerpt, what the sidecar made of it, and (for a draft) its verdict.</summary>
internal sealed record ThemeMessage(string Id, DateTimeOffset CreatedAt, string Kind, string Question, AcceptanceFact? Draft);

/// <summary>Reads the suggestions of a window that kept a redacted question excerpt. Nothing here writes.</summary>
internal sealed class ThemesQuery(Database database)
{
    public async Task<IReadOnlyList<ThemeMessage>> MessagesAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string CreatedAt, string Kind, string Question, string? Verdict, double? Similarity, string? Intent, string? AgentId, string? BrandId, long Inserted)>(
            new CommandDefinition(
                $"""
                SELECT id, created_at, kind, question, verdict, similarity,
                       {database.Sql.JsonText("trace", "understanding.intent.label")}, reply_author_id, brand_id,
                       (SELECT count(*) FROM suggestion_insertions i WHERE i.suggestion_id = suggestions.id)
                FROM suggestions
                WHERE question IS NOT NULL AND (@From IS NULL OR created_at >= @From) AND (@To IS NULL OR created_at < @To)
                ORDER BY created_at, id
                """,
                DayWindow.Of(from, to),
                cancellationToken: ct));
        return rows.Select(r =>
        {
            var at = DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture);
            var draft = r.Kind == nameof(Suggestions.SuggestionKind.Draft)
                ? new AcceptanceFact(r.Id, at, r.Verdict, r.Similarity, r.Intent, [], r.AgentId, r.BrandId, r.Inserted > 0)
                : null;
            return new ThemeMessage(r.Id, at, r.Kind, r.Question, draft);
        }).ToList();
    }
}
