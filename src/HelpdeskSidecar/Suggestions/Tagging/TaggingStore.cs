using System.Globalization;
using System.Text.Json;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions.Tagging;

internal sealed record TaggingAuditEntry(long Id, DateTimeOffset At, string Who, string Scope, string Name, TagRuleState? Before, TagRuleState After);

internal sealed record TagRuleState(string Mode, double Threshold);

/// <summary>Tagging rules per tag and per intent, and the audit of every change (who, when, before, after).</summary>
internal sealed class TaggingStore(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<TagRule>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Scope, string Name, string Mode, double Threshold, string UpdatedAt)>(new CommandDefinition(
            "SELECT scope, name, mode, threshold, updated_at FROM tagging_rules ORDER BY scope, name", cancellationToken: ct));
        return rows.Select(r => new TagRule(r.Scope, r.Name, r.Mode, r.Threshold, DateTimeOffset.Parse(r.UpdatedAt, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>
    /// Sets a rule and records the change in the audit, in one transaction. Setting what is already there (same mode
    /// and threshold) changes nothing and is not audited: the result is null.
    /// </summary>
    public async Task<TaggingAuditEntry?> SetAsync(string scope, string name, TagRuleState after, string who, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var before = await connection.QuerySingleOrDefaultAsync<(string Mode, double Threshold)?>(new CommandDefinition(
            "SELECT mode, threshold FROM tagging_rules WHERE scope = @scope AND name = @name", new { scope, name }, tx, cancellationToken: ct));
        if (before is { } same && same.Mode == after.Mode && same.Threshold.Equals(after.Threshold))
            return null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tagging_rules (scope, name, mode, threshold, updated_at) VALUES (@scope, @name, @Mode, @Threshold, @now)
            ON CONFLICT (scope, name) DO UPDATE SET mode = excluded.mode, threshold = excluded.threshold, updated_at = excluded.updated_at
            """,
            new { scope, name, after.Mode, after.Threshold, now = now.ToString("O") }, tx, cancellationToken: ct));
        var beforeState = before is { } b ? new TagRuleState(b.Mode, b.Threshold) : null;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO tagging_audit (at, who, scope, name, before, after) VALUES (@at, @who, @scope, @name, @before, @after) RETURNING id",
            new
            {
                at = now.ToString("O"), who, scope, name,
                before = beforeState is null ? null : JsonSerializer.Serialize(beforeState, TaggingJsonContext.Default.TagRuleState),
                after = JsonSerializer.Serialize(after, TaggingJsonContext.Default.TagRuleState),
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new TaggingAuditEntry(id, now, who, scope, name, beforeState, after);
    }

    /// <summary>The change that gave the rule its current state (the newest audit entry for it), or null.</summary>
    public async Task<TaggingAuditEntry?> LastChangeAsync(string scope, string name, CancellationToken ct) =>
        (await QueryAuditAsync("WHERE scope = @scope AND name = @name ORDER BY id DESC LIMIT 1", new { scope, name }, ct)).FirstOrDefault();

    /// <summary>The newest changes first.</summary>
    public Task<IReadOnlyList<TaggingAuditEntry>> AuditAsync(int limit, CancellationToken ct) =>
        QueryAuditAsync("ORDER BY id DESC LIMIT @limit", new { limit }, ct);

    private async Task<IReadOnlyList<TaggingAuditEntry>> QueryAuditAsync(string tail, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string At, string Who, string Scope, string Name, string? Before, string After)>(new CommandDefinition(
            $"SELECT id, at, who, scope, name, before, after FROM tagging_audit {tail}", args, cancellationToken: ct));
        return rows.Select(r => new TaggingAuditEntry(
            r.Id, DateTimeOffset.Parse(r.At, CultureInfo.InvariantCulture), r.Who, r.Scope, r.Name,
            r.Before is null ? null : JsonSerializer.Deserialize(r.Before, TaggingJsonContext.Default.TagRuleState),
            JsonSerializer.Deserialize(r.After, TaggingJsonContext.Default.TagRuleState)!)).ToList();
    }
}
