using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Hosting.Readiness;

/// <summary>The embedded database: opening a connection also applies pending migrations, so "ready" means migrated.</summary>
internal sealed class SqliteStateStoreProbe(Database database) : IStateStoreProbe
{
    public string Provider => "sqlite";

    public async Task<string> ProbeAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var version = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT max(version) FROM schema_migrations", cancellationToken: ct));
        return $"{Provider}, schema version {version ?? 0}";
    }
}
