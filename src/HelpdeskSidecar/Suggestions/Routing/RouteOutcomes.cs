using Dapper;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>Precision of one routing rule's target as the agents voted: of the routes applied or suggested, how many were in place at solve.</summary>
internal sealed record RoutePrecision(string Rule, string Target, string Value, int Applied, int Suggested, int Kept, int Dropped, double? Precision);

/// <summary>
/// Route precision measured the way agents vote, as for tags: when a ticket is solved, each route we applied or
/// suggested counts as right if the ticket still has (or was given) that group, priority or field value, wrong if not
/// (an agent moved it, or never took the suggestion). Settled once per suggestion and target; a helpdesk that does not
/// report the ticket's route (the replay) settles nothing.
/// </summary>
internal sealed class RouteOutcomes(Database database, TimeProvider time)
{
    public async Task<int> SettleAsync(HelpdeskTicket ticket, IReadOnlyList<Suggestion> suggestions, CancellationToken ct)
    {
        if (ticket.Route is not { } route)
            return 0;
        var rows = suggestions
            .SelectMany(s => s.Trace.Routing
                .Where(d => d.Action is RouteDecision.Apply or RouteDecision.SuggestOnly)
                .DistinctBy(d => d.Target)
                .Select(d => new { SuggestionId = s.Id, d.Target, d.Rule, d.Value, d.Action, Kept = d.IsIn(route) ? 1 : 0 }))
            .ToList();
        if (rows.Count == 0)
            return 0;
        var now = time.GetUtcNow().ToString("O");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var written = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO route_outcomes (suggestion_id, target, rule, value, action, kept, settled_at)
            VALUES (@SuggestionId, @Target, @Rule, @Value, @Action, @Kept, @now)
            ON CONFLICT DO NOTHING
            """,
            rows.Select(r => new { r.SuggestionId, r.Target, r.Rule, r.Value, r.Action, r.Kept, now }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return written;
    }

    public async Task<IReadOnlyList<RoutePrecision>> PrecisionAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Rule, string Target, string Value, long Applied, long Suggested, long Kept, long Total)>(new CommandDefinition(
            """
            SELECT rule, target, value, SUM(CASE WHEN action = 'auto' THEN 1 ELSE 0 END), SUM(CASE WHEN action = 'suggest' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN kept <> 0 THEN 1 ELSE 0 END), COUNT(*)
            FROM route_outcomes GROUP BY rule, target, value ORDER BY rule, target, value
            """, cancellationToken: ct));
        return rows.Select(r => new RoutePrecision(r.Rule, r.Target, r.Value, (int)r.Applied, (int)r.Suggested, (int)r.Kept, (int)(r.Total - r.Kept),
            r.Total == 0 ? null : Math.Round((double)r.Kept / r.Total, 4))).ToList();
    }
}
