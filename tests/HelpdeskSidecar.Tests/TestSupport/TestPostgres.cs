using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A real PostgreSQL 15 for the tests: <c>SIDECAR_TEST_POSTGRES</c> (a connection string whose user may create
/// databases) when set, otherwise a server of our own started once per test run from Debian's binaries
/// (<c>/usr/lib/postgresql/15/bin</c>): <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a free loopback port
/// with its socket folder in the temp folder. initdb refuses to run as root, so as root the server runs as the
/// <c>postgres</c> user (<c>runuser</c>). Each test gets a database of its own (<see cref="CreateDatabaseAsync"/>).
/// Without the binaries the test is skipped with the reason; with <c>CI</c> set it fails instead (as for Chromium).
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "SIDECAR_TEST_POSTGRES";
    public const string BinDir = "/usr/lib/postgresql/15/bin";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Server? _server;
    private static string? _adminConnectionString;

    /// <summary>A new, empty database on the test server: its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await AdminConnectionStringAsync();
        var name = "sidecar_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 50 }.ToString();
    }

    /// <summary>Skips (or, in CI, fails) the calling test when no PostgreSQL can be had; otherwise does nothing.</summary>
    public static async Task RequireAsync() => await AdminConnectionStringAsync();

    private static async Task<string> AdminConnectionStringAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
            return configured;
        await Gate.WaitAsync();
        try
        {
            if (_adminConnectionString is not null)
                return _adminConnectionString;
            if (!File.Exists(Path.Combine(BinDir, "initdb")) || !File.Exists(Path.Combine(BinDir, "pg_ctl")))
            {
                const string reason = $"PostgreSQL 15 is not installed ({BinDir}/initdb missing; apt-get install postgresql, as .ci/run does, or set {EnvironmentVariable})";
                if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
                    Assert.Fail(reason);
                Assert.Ignore(reason);
            }
            _server = await Server.StartAsync();
            _adminConnectionString = _server.ConnectionString;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _server?.Stop();
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the server of our own, if one was started (the run's last step).</summary>
    public static void Stop() => _server?.Stop();

    private sealed class Server
    {
        private readonly string _root;
        private readonly string[] _runAs;
        private int _stopped;

        private Server(string root, string[] runAs, int port)
        {
            _root = root;
            _runAs = runAs;
            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1", Port = port, Username = "sidecar", Database = "postgres", Pooling = false, Timeout = 30,
            }.ToString();
        }

        public string ConnectionString { get; }

        private string DataDir => Path.Combine(_root, "data");

        public static async Task<Server> StartAsync()
        {
            var root = Path.Combine(Path.GetTempPath(), "sidecar-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            string[] runAs = [];
            if (Environment.UserName == "root")
            {
                // initdb will not run as root: the server's files belong to the postgres user, who runs it.
                Run("chown", ["postgres", root]);
                runAs = ["runuser", "-u", "postgres", "--"];
            }
            var port = FreePort();
            var server = new Server(root, runAs, port);
            server.RunAsOwner(Path.Combine(BinDir, "initdb"), ["-D", server.DataDir, "-U", "sidecar", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
            // fsync off: the tests check behaviour, not durability across power loss (the benchmarks start their own with it on).
            server.RunAsOwner(Path.Combine(BinDir, "pg_ctl"),
            [
                "-D", server.DataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
            ]);
            await using var probe = new NpgsqlConnection(server.ConnectionString);
            await probe.OpenAsync();
            return server;
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
                return;
            try
            {
                RunAsOwner(Path.Combine(BinDir, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            try { Directory.Delete(_root, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the temp cleaner takes it */ }
        }

        private void RunAsOwner(string program, string[] arguments) =>
            Run(_runAs.Length == 0 ? program : _runAs[0], [.. _runAs.Skip(1), .. _runAs.Length == 0 ? [] : new[] { program }, .. arguments]);

        private static void Run(string program, IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} did not finish within 120 s");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

/// <summary>The providers the storage, ingest, scheduling and report fixtures run on (<c>[TestFixtureSource]</c>).</summary>
public static class StorageProviders
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public static readonly object[] Both = [Sqlite, Postgres];

    /// <summary>
    /// The settings that put a sidecar on <paramref name="provider"/>: none for SQLite (the data dir's file), a fresh
    /// database of the test server for PostgreSQL (skipped or failed as <see cref="TestPostgres"/> says when there is none).
    /// </summary>
    public static async Task<string[]> SettingsAsync(string provider) => provider == Postgres
        ? ["Sidecar:Storage:Provider=Postgres", $"Sidecar:Storage:ConnectionString={await TestPostgres.CreateDatabaseAsync()}"]
        : [];
}
