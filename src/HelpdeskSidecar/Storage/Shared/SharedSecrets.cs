using System.Security.Cryptography;
using Dapper;

namespace HelpdeskSidecar.Storage.Shared;

/// <summary>
/// Random secrets that every replica must agree on (the feedback-link signing key), kept in <c>shared_secrets</c>:
/// the first replica to ask creates it, the others read that one. Only with PostgreSQL (<see cref="IsShared"/>); one
/// SQLite process keeps its secrets in files of the data dir.
/// </summary>
internal sealed class SharedSecrets(Database database, TimeProvider time)
{
    public bool IsShared => database.IsPostgres;

    /// <summary>The secret called <paramref name="name"/>, created with <paramref name="length"/> random bytes if there is none.</summary>
    public async Task<byte[]> GetOrCreateAsync(string name, int length, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // Two replicas creating it at once: one insert wins, both read the winner's.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO shared_secrets (name, value, created_at) VALUES (@name, @value, @now) ON CONFLICT (name) DO NOTHING",
            new { name, value = RandomNumberGenerator.GetBytes(length), now = time.GetUtcNow().ToString("O") }, cancellationToken: ct));
        return await connection.QuerySingleAsync<byte[]>(new CommandDefinition(
            "SELECT value FROM shared_secrets WHERE name = @name", new { name }, cancellationToken: ct));
    }
}
