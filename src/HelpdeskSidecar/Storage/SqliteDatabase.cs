using HelpdeskSidecar.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Storage;

/// <summary>
/// The sidecar's state in one SQLite file (WAL). Every caller opens its own short-lived connection;
/// the pool keeps them cheap. The schema is created on first use.
/// </summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly Lazy<Task> _migrated;

    public SqliteDatabase(IOptions<SidecarOptions> options)
    {
        var o = options.Value;
        Directory.CreateDirectory(o.FullDataDir);
        _connectionString = string.IsNullOrWhiteSpace(o.Storage.ConnectionString)
            ? new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(o.FullDataDir, "sidecar.db"),
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString()
            : o.Storage.ConnectionString;
        _migrated = new Lazy<Task>(() => Migrations.ApplyAsync(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string ConnectionString => _connectionString;

    /// <summary>Opens a connection on a migrated schema. <paramref name="synchronousFull"/> makes commits fsync (durable across power loss).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default, bool synchronousFull = false)
    {
        try
        {
            await _migrated.Value.ConfigureAwait(false);
        }
        catch (SqliteException ex) when (NotUsable(ex))
        {
            throw Unusable(ex);
        }
        return await OpenRawAsync(ct, synchronousFull).ConfigureAwait(false);
    }

    internal async Task<SqliteConnection> OpenRawAsync(CancellationToken ct, bool synchronousFull = false)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout=30000; PRAGMA synchronous={(synchronousFull ? "FULL" : "NORMAL")}; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is SqliteException sqlite && NotUsable(sqlite))
                throw Unusable(sqlite);
            throw;
        }
    }

    // SQLITE_CANTOPEN (14) and SQLITE_NOTADB (26): the file the configuration points at cannot be the database.
    private static bool NotUsable(SqliteException ex) => ex.SqliteErrorCode is 14 or 26;

    private SidecarConfigurationException Unusable(SqliteException ex)
    {
        var file = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        var what = ex.SqliteErrorCode == 26 ? "is not a SQLite database" : "cannot be opened";
        return new SidecarConfigurationException(
            $"'{file}' {what} ({ex.Message.TrimEnd('.')}); move it away or point 'Sidecar:DataDir' (or 'Sidecar:Storage:ConnectionString') elsewhere.", ex);
    }

    public Task EnsureCreatedAsync() => _migrated.Value;
}
