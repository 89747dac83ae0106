using Dapper;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions.Tagging;

/// <summary>Precision of one tag as the agents voted: of the times it was applied or suggested, how often it stayed.</summary>
internal sealed record TagPrecision(string Tag, int Applied, int Suggested, int Kept, int Dropped, double? Precision);

/// <summary>
/// Tag precision measured the way agents vote: when a ticket is solved, each tag we applied or suggested on it
/// counts as right if it is still on the ticket, wrong if it is not (an agent removed it, or never took the
/// suggestion). Settled once per suggestion and tag.
/// </summary>
internal sealed class TagOutcomes(Database database, TimeProvider time)
{
    public async Task<int> SettleAsync(HelpdeskTicket ticket, IReadOnlyList<Suggestion> suggestions, CancellationToken ct)
    {
        var onTicket = ticket.Tags.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rows = suggestions
            .SelectMany(s => s.Trace.Tagging
                .Where(d => d.Action is TagDecision.Apply or TagDecision.SuggestOnly)
                .DistinctBy(d => d.Tag)
                .Select(d => new { SuggestionId = s.Id, d.Tag, d.Action, Kept = onTicket.Contains(d.Tag) ? 1 : 0 }))
            .ToList();
        if (rows.Count == 0)
            return 0;
        var now = time.GetUtcNow().ToString("O");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var written = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tag_outcomes (suggestion_id, tag, action, kept, settled_at) VALUES (@SuggestionId, @Tag, @Action, @Kept, @now)
            ON CONFLICT DO NOTHING
            """,
            rows.Select(r => new { r.SuggestionId, r.Tag, r.Action, r.Kept, now }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return written;
    }

    public async Task<IReadOnlyList<TagPrecision>> PrecisionAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Tag, long Applied, long Suggested, long Kept, long Total)>(new CommandDefinition(
            """
            SELECT tag, SUM(CASE WHEN action = 'auto' THEN 1 ELSE 0 END), SUM(CASE WHEN action = 'suggest' THEN 1 ELSE 0 END), SUM(CASE WHEN kept <> 0 THEN 1 ELSE 0 END), COUNT(*)
            FROM tag_outcomes GROUP BY tag ORDER BY tag
            """, cancellationToken: ct));
        return rows.Select(r => new TagPrecision(r.Tag, (int)r.Applied, (int)r.Suggested, (int)r.Kept, (int)(r.Total - r.Kept),
            r.Total == 0 ? null : Math.Round((double)r.Kept / r.Total, 4))).ToList();
    }
}
