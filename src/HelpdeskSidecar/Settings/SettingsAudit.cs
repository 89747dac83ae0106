using System.Data.Common;
using System.Globalization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Settings;

/// <summary>
/// One change of a setting: a mode override (<c>brand</c>/<c>intent</c>, before and after are modes or <c>inherit</c>)
/// or an edit of the policy file (<c>policy</c>, the file's path, before and after are SHA-256 of its text).
/// </summary>
internal sealed record SettingsAuditEntry(long Id, DateTimeOffset At, string Who, string Scope, string Key, string? Before, string? After);

/// <summary>The audit of everything ops leads change at run time; appended inside the change's own transaction.</summary>
internal sealed class SettingsAudit(Database database)
{
    public async Task<SettingsAuditEntry> AppendAsync(DbConnection connection, DbTransaction tx, SettingsAuditEntry entry, CancellationToken ct)
    {
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO settings_audit (at, who, scope, key, before, after) VALUES (@at, @Who, @Scope, @Key, @Before, @After) RETURNING id",
            new { at = entry.At.ToString("O"), entry.Who, entry.Scope, entry.Key, entry.Before, entry.After }, tx, cancellationToken: ct));
        return entry with { Id = id };
    }

    public async Task<SettingsAuditEntry> AppendAsync(SettingsAuditEntry entry, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var saved = await AppendAsync(connection, tx, entry, ct);
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>The newest changes first.</summary>
    public async Task<IReadOnlyList<SettingsAuditEntry>> ListAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string At, string Who, string Scope, string Key, string? Before, string? After)>(new CommandDefinition(
            "SELECT id, at, who, scope, key, before, after FROM settings_audit ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: ct));
        return rows.Select(r => new SettingsAuditEntry(r.Id, DateTimeOffset.Parse(r.At, CultureInfo.InvariantCulture), r.Who, r.Scope, r.Key, r.Before, r.After)).ToList();
    }
}
