using System.Globalization;
using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Settings;

/// <summary>What a mode override is about: a brand (the helpdesk's brand id) or an intent (a classifier label).</summary>
internal static class ModeScopes
{
    public const string Brand = "brand";
    public const string Intent = "intent";

    /// <summary>Not a mode scope: the audit's entries for edits of the policy file (before/after are sha256).</summary>
    public const string PolicyFile = "policy";
}

/// <summary>One override: tickets of this brand (or intent) run in <paramref name="Mode"/> instead of <c>Sidecar:Mode</c>.</summary>
internal sealed record ModeOverride(string Scope, string Key, string Mode, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>The overrides in force, as the pipeline reads them for one ticket.</summary>
internal sealed record ModeOverrides(IReadOnlyDictionary<string, SidecarMode> Brands, IReadOnlyDictionary<string, SidecarMode> Intents)
{
    public static ModeOverrides None { get; } = new(new Dictionary<string, SidecarMode>(), new Dictionary<string, SidecarMode>());
}

/// <summary>
/// The mode per brand and per intent, and the audit of every change (who, when, scope, key, before, after).
/// <c>inherit</c> deletes the override, so the brand or intent follows <c>Sidecar:Mode</c> again.
/// </summary>
internal sealed class ModeOverrideStore(Database database, SettingsAudit audit, TimeProvider time)
{
    public const string Inherit = "inherit";

    public async Task<IReadOnlyList<ModeOverride>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Scope, string Key, string Mode, string UpdatedAt, string UpdatedBy)>(new CommandDefinition(
            "SELECT scope, key, mode, updated_at, updated_by FROM mode_overrides ORDER BY scope, key", cancellationToken: ct));
        return rows.Select(r => new ModeOverride(r.Scope, r.Key, r.Mode, DateTimeOffset.Parse(r.UpdatedAt, CultureInfo.InvariantCulture), r.UpdatedBy)).ToList();
    }

    /// <summary>Case-insensitive lookups, like the policy's own brand and intent matching.</summary>
    public async Task<ModeOverrides> CurrentAsync(CancellationToken ct)
    {
        var all = await ListAsync(ct);
        IReadOnlyDictionary<string, SidecarMode> Of(string scope) => all.Where(o => o.Scope == scope)
            .ToDictionary(o => o.Key, o => Enum.Parse<SidecarMode>(o.Mode, ignoreCase: true), StringComparer.OrdinalIgnoreCase);
        return new ModeOverrides(Of(ModeScopes.Brand), Of(ModeScopes.Intent));
    }

    /// <summary>
    /// Sets (<c>shadow</c>, <c>live</c>) or removes (<c>inherit</c>) an override and audits the change, in one
    /// transaction. Setting what is already there changes nothing and is not audited: the result's entry is null.
    /// </summary>
    public async Task<SettingsAuditEntry?> SetAsync(string scope, string key, string mode, string who, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var before = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT mode FROM mode_overrides WHERE scope = @scope AND key = @key", new { scope, key }, tx, cancellationToken: ct));
        var after = mode == Inherit ? null : mode;
        if (before == after)
            return null;
        if (after is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM mode_overrides WHERE scope = @scope AND key = @key", new { scope, key }, tx, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO mode_overrides (scope, key, mode, updated_at, updated_by) VALUES (@scope, @key, @after, @now, @who)
                ON CONFLICT (scope, key) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """,
                new { scope, key, after, now = now.ToString("O"), who }, tx, cancellationToken: ct));
        }
        var entry = await audit.AppendAsync(connection, tx, new SettingsAuditEntry(0, now, who, scope, key, before ?? Inherit, after ?? Inherit), ct);
        await tx.CommitAsync(ct);
        return entry;
    }
}
