using System.Globalization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Access;

internal sealed record ConsoleUser(string Name, Role Role, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Console users: a name (case-insensitive), a role and a PBKDF2 password hash.</summary>
internal sealed class UserStore(SqliteDatabase database, TimeProvider time)
{
    /// <summary>Adds the user, or resets the role and password of the one with that name.</summary>
    /// <returns>True when the user is new.</returns>
    public async Task<bool> UpsertAsync(string name, Role role, string password, CancellationToken ct)
    {
        var hash = PasswordHasher.Hash(password);
        var now = time.GetUtcNow().ToString("O");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE name = @name", new { name }, tx, cancellationToken: ct)) > 0;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (@name, @role, @hash, @now, @now)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, updated_at = excluded.updated_at
            """, new { name, role = role.ToString(), hash, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return !exists;
    }

    public async Task<ConsoleUser?> FindAsync(string name, CancellationToken ct) =>
        (await QueryAsync("WHERE name = @name", new { name }, ct)).FirstOrDefault()?.User;

    /// <returns>The user when the name and password match; null otherwise (the same work is done for an unknown name).</returns>
    public async Task<ConsoleUser?> SignInAsync(string name, string password, CancellationToken ct)
    {
        var found = (await QueryAsync("WHERE name = @name", new { name }, ct)).FirstOrDefault();
        // An unknown name still costs one hash, so the answer's timing does not say which names exist.
        var verified = PasswordHasher.Verify(password, found?.Hash ?? UnknownUserHash.Value);
        return verified && found is not null ? found.User : null;
    }

    public async Task<IReadOnlyList<ConsoleUser>> ListAsync(CancellationToken ct) =>
        (await QueryAsync("ORDER BY name", null, ct)).Select(r => r.User).ToList();

    private static readonly Lazy<string> UnknownUserHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    private sealed record Found(ConsoleUser User, string Hash);

    private async Task<IReadOnlyList<Found>> QueryAsync(string where, object? args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Name, string Role, string Hash, string CreatedAt, string UpdatedAt)>(new CommandDefinition(
            $"SELECT name, role, password_hash, created_at, updated_at FROM users {where}", args, cancellationToken: ct));
        return rows.Select(r => new Found(
            new ConsoleUser(r.Name, Enum.Parse<Role>(r.Role), Parse(r.CreatedAt), Parse(r.UpdatedAt)), r.Hash)).ToList();
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
