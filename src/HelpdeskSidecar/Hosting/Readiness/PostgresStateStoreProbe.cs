using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Hosting.Readiness;

/// <summary>
/// The PostgreSQL state database (<c>Sidecar:Storage:Provider = Postgres</c>): a pooled connection answers a query, and
/// the schema version is the last step of <see cref="PostgresMigrations"/> applied (opening also migrates, so "ready"
/// means migrated). An unreachable server or a refused login throws, which makes <c>/readyz</c> 503.
/// </summary>
internal sealed class PostgresStateStoreProbe(Database database) : IStateStoreProbe
{
    public string Provider => "postgres";

    public async Task<string> ProbeAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var version = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT max(version) FROM schema_migrations", cancellationToken: ct));
        return $"{Provider}, schema version {version ?? 0}";
    }
}
