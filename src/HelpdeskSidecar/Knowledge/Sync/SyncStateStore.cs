using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Knowledge.Sync;

/// <summary>Where a sync source left off: when it last completed, and the helpdesk's cursor to resume from (if it has one).</summary>
internal sealed record SyncState(string Source, DateTimeOffset SyncedAt, string? Cursor);

/// <summary>One row per <c>kb sync</c> source (<c>zendesk</c>, <c>freshdesk</c>, <c>zendesk:tickets</c>), written only after a complete run.</summary>
internal sealed class SyncStateStore(Database database)
{
    public async Task<SyncState?> GetAsync(string source, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Source, string SyncedAt, string? Cursor)?>(
            new CommandDefinition("SELECT source, synced_at, cursor FROM sync_state WHERE source = @source", new { source }, cancellationToken: ct));
        return row is { } r
            ? new SyncState(r.Source, DateTimeOffset.Parse(r.SyncedAt, System.Globalization.CultureInfo.InvariantCulture), r.Cursor)
            : null;
    }

    public async Task SetAsync(SyncState state, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_state (source, synced_at, cursor) VALUES (@Source, @syncedAt, @Cursor)
            ON CONFLICT (source) DO UPDATE SET synced_at = excluded.synced_at, cursor = excluded.cursor
            """,
            new { state.Source, syncedAt = state.SyncedAt.ToString("O"), state.Cursor }, cancellationToken: ct));
    }
}
