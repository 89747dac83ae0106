using System.Globalization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>An ops lead's mode for a routing rule, overriding the policy file's.</summary>
internal sealed record RoutingModeOverride(string Rule, string Mode, DateTimeOffset UpdatedAt);

/// <summary>One change of a routing rule's mode: who, when, before (null: the file's mode was in force) and after.</summary>
internal sealed record RoutingAuditEntry(long Id, DateTimeOffset At, string Who, string Rule, string? Before, string After);

/// <summary>Routing rules' modes as ops leads set them, and the audit of every change, like <see cref="Tagging.TaggingStore"/>.</summary>
internal sealed class RoutingStore(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<RoutingModeOverride>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Rule, string Mode, string UpdatedAt)>(new CommandDefinition(
            "SELECT rule, mode, updated_at FROM routing_modes ORDER BY rule", cancellationToken: ct));
        return rows.Select(r => new RoutingModeOverride(r.Rule, r.Mode, DateTimeOffset.Parse(r.UpdatedAt, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>
    /// Sets a rule's mode and audits the change in one transaction. <paramref name="fileMode"/> is what the policy file
    /// says, the "before" when no override exists yet. Setting what is already in force is not a change: null.
    /// </summary>
    public async Task<RoutingAuditEntry?> SetAsync(string rule, string mode, string fileMode, string who, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT mode FROM routing_modes WHERE rule = @rule", new { rule }, tx, cancellationToken: ct));
        if ((current ?? fileMode) == mode)
            return null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO routing_modes (rule, mode, updated_at) VALUES (@rule, @mode, @now)
            ON CONFLICT (rule) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at
            """, new { rule, mode, now = now.ToString("O") }, tx, cancellationToken: ct));
        var before = current ?? fileMode;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO routing_audit (at, who, rule, before, after) VALUES (@at, @who, @rule, @before, @mode) RETURNING id",
            new { at = now.ToString("O"), who, rule, before, mode }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new RoutingAuditEntry(id, now, who, rule, before, mode);
    }

    public async Task<RoutingAuditEntry?> LastChangeAsync(string rule, CancellationToken ct) =>
        (await QueryAuditAsync("WHERE rule = @rule ORDER BY id DESC LIMIT 1", new { rule }, ct)).FirstOrDefault();

    /// <summary>The newest changes first.</summary>
    public Task<IReadOnlyList<RoutingAuditEntry>> AuditAsync(int limit, CancellationToken ct) =>
        QueryAuditAsync("ORDER BY id DESC LIMIT @limit", new { limit }, ct);

    private async Task<IReadOnlyList<RoutingAuditEntry>> QueryAuditAsync(string tail, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string At, string Who, string Rule, string? Before, string After)>(new CommandDefinition(
            $"SELECT id, at, who, rule, before, after FROM routing_audit {tail}", args, cancellationToken: ct));
        return rows.Select(r => new RoutingAuditEntry(r.Id, DateTimeOffset.Parse(r.At, CultureInfo.InvariantCulture), r.Who, r.Rule, r.Before, r.After)).ToList();
    }
}
