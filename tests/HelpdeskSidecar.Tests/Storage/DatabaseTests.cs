using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Storage;

[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class DatabaseTests(string provider)
{
    private TempDirectory _temp = null!;
    private SidecarOptions _options = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _temp = new TempDirectory();
        _options = new SidecarOptions { DataDir = _temp.DataDir };
        if (provider == StorageProviders.Postgres)
            _options.Storage = new StorageOptions { Provider = "Postgres", ConnectionString = await TestPostgres.CreateDatabaseAsync() };
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private Database NewDatabase() => new(Options.Create(_options));

    [Test]
    public async Task Open_FreshDatabase_AppliesEveryStepOfItsProviderOnce()
    {
        await using var database = NewDatabase();
        await using (await database.OpenAsync())
        {
        }
        await using var connection = await database.OpenAsync();
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        var steps = provider == StorageProviders.Postgres ? PostgresMigrations.Steps.Length : Migrations.Steps.Length;
        Assert.That(versions, Is.EqualTo(Enumerable.Range(1, steps).Select(v => (long)v)));
        Assert.That(database.Provider.ToString(), Is.EqualTo(provider));
    }

    [Test]
    public async Task Open_ReplicasStartingTogether_MigrateOnceWithoutErrors()
    {
        // Four replicas' first opens at once on one fresh database: on PostgreSQL the advisory lock makes them take turns
        // (without it two would both create inbox_events and one would fail). On SQLite each is its own file's writer in turn.
        var databases = Enumerable.Range(0, 4).Select(_ => NewDatabase()).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => d.EnsureCreatedAsync()));
            await using var connection = await databases[0].OpenAsync();
            var count = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations");
            Assert.That(count, Is.EqualTo(provider == StorageProviders.Postgres ? PostgresMigrations.Steps.Length : Migrations.Steps.Length));
        }
        finally
        {
            foreach (var database in databases)
                await database.DisposeAsync();
        }
    }

    [Test]
    public async Task Dialect_JsonAndLists_ReadTheSameOnBothProviders()
    {
        await using var database = NewDatabase();
        await using var connection = await database.OpenAsync();
        var sql = database.Sql;
        var row = await connection.QuerySingleAsync<(string? Label, double? Total, long? Calls, long Listed)>(
            $"""
            SELECT {sql.JsonText("@trace", "understanding.intent.label")}, {sql.JsonReal("@trace", "timings_ms.total")},
                   {sql.JsonInteger("@trace", "model.calls")}, CASE WHEN {sql.In("@one", "@list")} AND {sql.NotIn("@two", "@list")} THEN 1 ELSE 0 END
            """,
            new { trace = """{"understanding":{"intent":{"label":"billing"}},"timings_ms":{"total":12.5},"model":{"calls":3}}""", one = "a", two = "z", list = new[] { "a", "b" } });
        Assert.That(row, Is.EqualTo(((string?)"billing", (double?)12.5, (long?)3, 1L)));
    }
}

/// <summary>The two migration histories make one schema: every table and column of one exists in the other.</summary>
public class SchemaParityTests
{
    [Test]
    public async Task Migrations_BothProviders_HaveTheSameTablesAndColumns()
    {
        using var temp = new TempDirectory();
        await using var sqlite = new Database(Options.Create(new SidecarOptions { DataDir = temp.DataDir }));
        await using var postgres = new Database(Options.Create(new SidecarOptions
        {
            DataDir = temp.DataDir,
            Storage = new StorageOptions { Provider = "Postgres", ConnectionString = await TestPostgres.CreateDatabaseAsync() },
        }));
        Assert.That(PostgresMigrations.Steps, Has.Length.EqualTo(Migrations.Steps.Length), "step N of one is step N of the other");

        var fromSqlite = new SortedSet<string>(StringComparer.Ordinal);
        await using (var connection = await sqlite.OpenAsync())
        {
            var tables = await connection.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'chunks_fts_%'");
            foreach (var table in tables)
            {
                foreach (var column in await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')"))
                    fromSqlite.Add($"{table}.{column}");
            }
        }
        var fromPostgres = new SortedSet<string>(StringComparer.Ordinal);
        await using (var connection = await postgres.OpenAsync())
        {
            foreach (var column in await connection.QueryAsync<string>(
                "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'"))
                fromPostgres.Add(column);
        }
        // PostgreSQL's own: FTS5's implicit rowid made a column, and the counter replicas follow for the knowledge index.
        fromPostgres.Remove("chunks_fts.rowid");
        fromPostgres.RemoveWhere(c => c.StartsWith("knowledge_version.", StringComparison.Ordinal));
        Assert.That(fromPostgres, Is.EqualTo(fromSqlite));
    }
}
