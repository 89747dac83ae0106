using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Access;

/// <param name="SessionStamp">Changes when the password or role is reset (<c>users add</c> on an existing name: every role
/// change goes through it) or the user is disabled or enabled; a console session
/// signed in under another stamp ends at its next request.</param>
internal sealed record ConsoleUser(string Name, Role Role, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DisabledAt, string SessionStamp)
{
    public bool Disabled => DisabledAt is not null;
}

/// <summary>
/// Console users: a name (compared by <see cref="UserNames.Key"/>: NFC, case-insensitive), a role, a PBKDF2 password
/// hash, whether the user is disabled, and the session stamp.
/// </summary>
internal sealed class UserStore(Database database, TimeProvider time)
{
    /// <summary>Adds the user, or resets the role and password of the one with that name (which ends their sessions).</summary>
    /// <returns>True when the user is new.</returns>
    public async Task<bool> UpsertAsync(string name, Role role, string password, CancellationToken ct)
    {
        name = UserNames.Normalize(name);
        var key = UserNames.Key(name);
        var hash = PasswordHasher.Hash(password);
        var now = time.GetUtcNow().ToString("O");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The existing user keeps the name as first written; a reset changes the stamp, so open sessions end.
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET role = @role, password_hash = @hash, updated_at = @now, session_stamp = @stamp WHERE name_key = @key",
            new { key, role = role.ToString(), hash, now, stamp = NewStamp() }, tx, cancellationToken: ct));
        await EndSessionsAsync(connection, key, tx, ct);
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO users (name, name_key, role, password_hash, created_at, updated_at, session_stamp)
                VALUES (@name, @key, @role, @hash, @now, @now, @stamp)
                """, new { name, key, role = role.ToString(), hash, now, stamp = NewStamp() }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return updated == 0;
    }

    public async Task<ConsoleUser?> FindAsync(string name, CancellationToken ct) =>
        (await QueryAsync("WHERE name_key = @key", new { key = UserNames.Key(name) }, ct)).FirstOrDefault()?.User;

    /// <returns>
    /// The user when the name and password match and the user is not disabled; null otherwise (the same work is done
    /// for an unknown name).
    /// </returns>
    public async Task<ConsoleUser?> SignInAsync(string name, string password, CancellationToken ct)
    {
        var found = (await QueryAsync("WHERE name_key = @key", new { key = UserNames.Key(name) }, ct)).FirstOrDefault();
        // An unknown name still costs one hash, so the answer's timing does not say which names exist.
        var verified = PasswordHasher.Verify(password, found?.Hash ?? UnknownUserHash.Value);
        return verified && found is { User.Disabled: false } ? found.User : null;
    }

    /// <summary>Disables or enables the user; either ends the user's console sessions.</summary>
    /// <returns>The user as now stored, or null when there is no such user.</returns>
    public async Task<ConsoleUser?> SetDisabledAsync(string name, bool disabled, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToString("O");
        await using (var connection = await database.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE users SET disabled_at = CASE WHEN @disabled THEN COALESCE(disabled_at, @now) ELSE NULL END,
                                 updated_at = @now, session_stamp = @stamp
                WHERE name_key = @key
                """, new { key = UserNames.Key(name), disabled, now, stamp = NewStamp() }, cancellationToken: ct));
            await EndSessionsAsync(connection, UserNames.Key(name), null, ct);
        }
        return await FindAsync(name, ct);
    }

    /// <summary>Deletes the user; their console sessions end at their next request.</summary>
    /// <returns>False when there is no such user.</returns>
    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await EndSessionsAsync(connection, UserNames.Key(name), null, ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE name_key = @key", new { key = UserNames.Key(name) }, cancellationToken: ct)) > 0;
    }

    /// <summary>The user's server-side session rows (<see cref="SessionStore"/>) go with the old stamp: either alone would end them.</summary>
    private static Task EndSessionsAsync(System.Data.Common.DbConnection connection, string key, System.Data.Common.DbTransaction? tx, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("DELETE FROM console_sessions WHERE name_key = @key", new { key }, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<ConsoleUser>> ListAsync(CancellationToken ct) =>
        (await QueryAsync("ORDER BY name_key", null, ct)).Select(r => r.User).ToList();

    private static readonly Lazy<string> UnknownUserHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private sealed record Found(ConsoleUser User, string Hash);

    private async Task<IReadOnlyList<Found>> QueryAsync(string where, object? args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Name, string Role, string Hash, string CreatedAt, string UpdatedAt, string? DisabledAt, string Stamp)>(new CommandDefinition(
            $"SELECT name, role, password_hash, created_at, updated_at, disabled_at, session_stamp FROM users {where}", args, cancellationToken: ct));
        return rows.Select(r => new Found(
            new ConsoleUser(r.Name, Enum.Parse<Role>(r.Role), Parse(r.CreatedAt), Parse(r.UpdatedAt), r.DisabledAt is null ? null : Parse(r.DisabledAt), r.Stamp), r.Hash)).ToList();
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
