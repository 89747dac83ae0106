using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Access;

internal sealed record ApiToken(long Id, string Name, Role Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// API tokens: 32 random bytes shown once (<c>hs_</c> + Base64url), kept only as their SHA-256 hash, with a role and a
/// name that the audit records as "who". A revoked token stays listed but authenticates nothing.
/// </summary>
internal sealed class TokenStore(Database database, TimeProvider time)
{
    public const string Prefix = "hs_";

    /// <returns>The token's record and its secret, which is not stored and cannot be shown again.</returns>
    public async Task<(ApiToken Token, string Secret)> CreateAsync(Role role, string? name, CancellationToken ct)
    {
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO api_tokens (name, role, hash, created_at) VALUES (@name, @role, @hash, @now) RETURNING id",
            new { name = name ?? "", role = role.ToString(), hash = HashOf(secret), now = now.ToString("O") }, tx, cancellationToken: ct));
        if (string.IsNullOrWhiteSpace(name))
        {
            name = $"token-{id}";
            await connection.ExecuteAsync(new CommandDefinition("UPDATE api_tokens SET name = @name WHERE id = @id", new { name, id }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return (new ApiToken(id, name, role, now, null), secret);
    }

    /// <returns>The live token the secret belongs to, or null.</returns>
    public async Task<ApiToken?> FindAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        // Looked up by hash: the secret itself is never compared or stored, so there is no timing to learn from.
        var found = await QueryAsync("WHERE hash = @hash AND revoked_at IS NULL", new { hash = HashOf(secret) }, ct);
        return found.FirstOrDefault();
    }

    public Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken ct) => QueryAsync("ORDER BY id", null, ct);

    /// <returns>False when there is no live token with that id.</returns>
    public async Task<bool> RevokeAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = time.GetUtcNow().ToString("O") }, cancellationToken: ct)) == 1;
    }

    private async Task<IReadOnlyList<ApiToken>> QueryAsync(string where, object? args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Name, string Role, string CreatedAt, string? RevokedAt)>(new CommandDefinition(
            $"SELECT id, name, role, created_at, revoked_at FROM api_tokens {where}", args, cancellationToken: ct));
        return rows.Select(r => new ApiToken(r.Id, r.Name, Enum.Parse<Role>(r.Role),
            DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture),
            r.RevokedAt is null ? null : DateTimeOffset.Parse(r.RevokedAt, CultureInfo.InvariantCulture))).ToList();
    }

    private static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
