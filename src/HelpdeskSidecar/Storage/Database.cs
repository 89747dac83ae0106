using System.Data.Common;
using HelpdeskSidecar.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HelpdeskSidecar.Storage;

/// <summary>Where the sidecar keeps its state: <c>Sidecar:Storage:Provider</c>.</summary>
internal enum StorageProvider
{
    /// <summary>One SQLite file (WAL) in the data dir: one process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by any number of replicas.</summary>
    Postgres,
}

/// <summary>
/// The sidecar's state: one SQLite file (WAL), or a PostgreSQL database when <c>Sidecar:Storage:Provider</c> is
/// <c>Postgres</c>. Every caller opens its own short-lived connection; the pools keep them cheap. The schema is created
/// (or brought up to date) on first use, by <see cref="Migrations"/> or <see cref="PostgresMigrations"/>. The few SQL
/// differences between the two are in <see cref="Sql"/>.
/// </summary>
internal sealed class Database : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;
    private readonly Func<Task> _migrate;
    private readonly Lock _migrationGate = new();
    private Task? _migration;

    public Database(IOptions<SidecarOptions> options)
    {
        var o = options.Value;
        Provider = ProviderOf(o.Storage);
        Sql = new SqlDialect(Provider);
        if (Provider == StorageProvider.Postgres)
        {
            _connectionString = o.Storage.ConnectionString
                ?? throw new SidecarConfigurationException("'Sidecar:Storage:ConnectionString' must name the PostgreSQL database when 'Sidecar:Storage:Provider' is Postgres.");
            _postgres = NpgsqlDataSource.Create(_connectionString);
            _migrate = () => PostgresMigrations.ApplyAsync(this);
            return;
        }
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
        _migrate = () => Migrations.ApplyAsync(this);
    }

    public StorageProvider Provider { get; }

    public bool IsPostgres => Provider == StorageProvider.Postgres;

    /// <summary>The SQL that differs between the providers.</summary>
    public SqlDialect Sql { get; }

    public string ConnectionString => _connectionString;

    public static StorageProvider ProviderOf(StorageOptions storage) =>
        string.Equals(storage.Provider, nameof(StorageProvider.Postgres), StringComparison.OrdinalIgnoreCase) ? StorageProvider.Postgres : StorageProvider.Sqlite;

    /// <summary>
    /// Opens a connection on a migrated schema. <paramref name="synchronousFull"/> makes SQLite commits fsync (durable
    /// across power loss); PostgreSQL commits always are.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default, bool synchronousFull = false)
    {
        try
        {
            await MigratedAsync().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (NotUsable(ex))
        {
            throw Unusable(ex);
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unreachable(ex);
        }
        return await OpenRawAsync(ct, synchronousFull).ConfigureAwait(false);
    }

    internal async Task<DbConnection> OpenRawAsync(CancellationToken ct, bool synchronousFull = false)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
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

    // A server that cannot be reached, or refuses the login or the database: a setting to fix, not a bug. SQL errors
    // (PostgresException with a SQLSTATE outside classes 08, 28 and 3D) are not.
    private bool IsUnreachable(Exception ex) => _postgres is not null && ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("28", StringComparison.Ordinal) || pg.SqlState.StartsWith("3D", StringComparison.Ordinal),
        NpgsqlException => true,
        _ => false,
    };

    private SidecarConfigurationException Unreachable(Exception ex)
    {
        // Host, port and database only: never the password.
        var target = new NpgsqlConnectionStringBuilder(_connectionString);
        var reason = ex is PostgresException pg ? pg.MessageText : ex.InnerException?.Message ?? ex.Message;
        return new SidecarConfigurationException(
            $"PostgreSQL database '{target.Database}' on {target.Host}:{target.Port} cannot be used ({reason.TrimEnd('.')}); check 'Sidecar:Storage:ConnectionString'.", ex);
    }

    public Task EnsureCreatedAsync() => MigratedAsync();

    /// <summary>The schema, brought up to date once; a failed attempt (a server not up yet) is tried again by the next caller.</summary>
    private Task MigratedAsync()
    {
        lock (_migrationGate)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
                _migration = _migrate();
            return _migration;
        }
    }

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
}
