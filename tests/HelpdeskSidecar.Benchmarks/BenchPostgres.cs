using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// PostgreSQL for the <c>*-pg</c> benchmarks: <c>SIDECAR_BENCH_POSTGRES</c> (a connection string whose user may create
/// databases) when set, otherwise a PostgreSQL 15 of our own from <c>/usr/lib/postgresql/15/bin</c> on a free loopback
/// port, with the production defaults that matter here (fsync and synchronous_commit on: a 202 means on disk), run as
/// the <c>postgres</c> user when we are root; <c>SIDECAR_BENCH_POSTGRES_OPTIONS</c> adds server options (<c>-c name=value</c>).
/// Each benchmark gets a fresh database.
/// </summary>
internal static class BenchPostgres
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private static string? _admin;
    private static string? _root;
    private static string[] _runAs = [];

    public static async Task<string[]> SettingsAsync()
    {
        var admin = _admin ??= Environment.GetEnvironmentVariable("SIDECAR_BENCH_POSTGRES") is { Length: > 0 } configured ? configured : Start();
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var database = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 100 }.ToString();
        return ["Sidecar:Storage:Provider=Postgres", $"Sidecar:Storage:ConnectionString={database}"];
    }

    public static void Stop()
    {
        if (_root is null)
            return;
        Run([.. _runAs, Path.Combine(BinDir, "pg_ctl"), "-D", Path.Combine(_root, "data"), "-m", "fast", "-w", "stop"]);
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* best effort */ }
        _root = null;
    }

    private static string Start()
    {
        _root = Path.Combine(Path.GetTempPath(), "sidecar-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        if (Environment.UserName == "root")
        {
            Run(["chown", "postgres", _root]);
            _runAs = ["runuser", "-u", "postgres", "--"];
        }
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var data = Path.Combine(_root, "data");
        Run([.. _runAs, Path.Combine(BinDir, "initdb"), "-D", data, "-U", "sidecar", "--auth=trust", "-E", "UTF8", "--no-instructions"]);
        Run([.. _runAs, Path.Combine(BinDir, "pg_ctl"), "-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "start",
            "-o", $"-p {port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB {Environment.GetEnvironmentVariable("SIDECAR_BENCH_POSTGRES_OPTIONS")}"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        return new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "sidecar", Database = "postgres", Pooling = false }.ToString();
    }

    private static void Run(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {error.Result}");
    }
}
