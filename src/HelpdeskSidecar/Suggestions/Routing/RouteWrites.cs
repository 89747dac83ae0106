using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>
/// The route fields written to a ticket for a suggestion, one row per target: a write-back retried after the route
/// went through (a crash, a failure later on) finds them here and does not set them again, so an agent who moved the
/// ticket in between is not overruled.
/// </summary>
internal sealed class RouteWrites(Database database, TimeProvider time)
{
    public async Task<IReadOnlySet<string>> WrittenAsync(string suggestionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var targets = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT target FROM route_writes WHERE suggestion_id = @suggestionId", new { suggestionId }, cancellationToken: ct));
        return targets.ToHashSet(StringComparer.Ordinal);
    }

    public async Task RecordAsync(string suggestionId, IEnumerable<RouteDecision> written, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToString("O");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO route_writes (suggestion_id, target, value, written_at) VALUES (@suggestionId, @Target, @Value, @now) ON CONFLICT DO NOTHING",
            written.Select(d => new { suggestionId, d.Target, d.Value, now }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
