using System.Net;
using System.Net.Sockets;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>serve</c> (SidecarCli.ServeAsync) as a child process: a start that cannot succeed prints one line and nothing else.</summary>
public class ServeCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Serve_PortInUse_Exits2NamingTheAddress()
    {
        using var data = new TempDirectory();
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var result = await CliProcess.RunAsync(data.Path, Limit, "serve", $"--urls=http://127.0.0.1:{port}", $"--Sidecar:DataDir={data.Path}");

        Assert.That(result.TimedOut, Is.False, result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Is.EqualTo($"error: --urls: cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use"));
        Assert.That(result.Out, Does.Not.Contain("Hosting failed to start").And.Not.Contain("   at "));
    }

    [TestCase("serve", true)]
    [TestCase("serve", false)]
    [TestCase(null, true)]
    public async Task Serve_UrlsWithItsValueApartOrJoined_ReachesTheHost(string? command, bool apart)
    {
        using var data = new TempDirectory();
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var url = $"http://127.0.0.1:{port}";
        string[] urls = apart ? ["--urls", url] : [$"--urls={url}"];

        string[] args = command is null ? [.. urls, $"--Sidecar:DataDir={data.Path}"] : [command, .. urls, $"--Sidecar:DataDir={data.Path}"];

        var result = await CliProcess.RunAsync(data.Path, Limit, args);

        // The busy port proves the address reached the host: it tried to listen exactly there.
        Assert.That(result.TimedOut, Is.False, result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Is.EqualTo($"error: --urls: cannot listen: Failed to bind to address {url}: address already in use"));
    }

    [Test]
    public async Task Serve_UrlsNotAUrl_Exits2NamingIt()
    {
        using var data = new TempDirectory();

        var result = await CliProcess.RunAsync(data.Path, Limit, "serve", "--urls=notaurl", $"--Sidecar:DataDir={data.Path}");

        Assert.That(result.TimedOut, Is.False, result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith("error: --urls: Invalid url: 'notaurl'").And.Not.Contain("\n"));
        Assert.That(result.Out, Does.Not.Contain("Hosting failed to start").And.Not.Contain("   at "));
    }

    [TestCase("--Sidecar:Knowledge:TopK=0", "'Sidecar:Knowledge:TopK' must be between 1 and 100")]
    [TestCase("--Sidecar:Policy:File={0}/policy.yaml", "'Sidecar:Policy:File' is invalid")]
    public async Task Serve_SettingRefusedAtStart_PrintsOnlyTheOneLine(string setting, string reason)
    {
        using var data = new TempDirectory();
        data.File("policy.yaml", "rules: [unclosed\n");

        var result = await CliProcess.RunAsync(data.Path, Limit, "serve", "--urls=http://127.0.0.1:0", string.Format(setting, data.Path), $"--Sidecar:DataDir={data.Path}");

        Assert.That(result.TimedOut, Is.False, result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith("error: invalid configuration: ").And.Contain(reason).And.Not.Contain("\n"));
        Assert.That(result.Out.Trim(), Is.Empty, "the host logged nothing of its own");
    }

    [Test]
    public async Task Serve_DatabaseFileIsNotADatabase_Exits2NamingTheFile()
    {
        using var data = new TempDirectory();
        var db = Path.Combine(data.Path, "sidecar.db");
        await File.WriteAllBytesAsync(db, Enumerable.Range(0, 8192).Select(i => (byte)(i * 131 % 251)).ToArray());

        var result = await CliProcess.RunAsync(data.Path, Limit, "serve", "--urls=http://127.0.0.1:0", $"--Sidecar:DataDir={data.Path}");

        Assert.That(result.TimedOut, Is.False, result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith($"error: invalid configuration: '{db}' is not a SQLite database").And.Not.Contain("\n"));
        Assert.That(result.Out, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task Serve_PostgresNotReachable_Exits2NamingTheServerNotThePassword()
    {
        using var data = new TempDirectory();
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await CliProcess.RunAsync(data.Path, Limit, "serve", "--urls=http://127.0.0.1:0", $"--Sidecar:DataDir={data.Path}",
            "--Sidecar:Storage:Provider=Postgres", $"--Sidecar:Storage:ConnectionString=Host=127.0.0.1;Port={port};Database=sidecar;Username=u;Password=hunter2;Timeout=3");

        Assert.That(result.TimedOut, Is.False, result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith($"error: invalid configuration: PostgreSQL database 'sidecar' on 127.0.0.1:{port} cannot be used").And.Not.Contain("\n"));
        Assert.That(result.Out + result.Error, Does.Not.Contain("hunter2").And.Not.Contain("   at "));
    }

    [Test]
    public async Task Serve_DataDirHeldByARunningSidecar_Exits2AndTheFirstKeepsRunning()
    {
        using var data = new TempDirectory();
        await using var first = await SidecarProcess.StartAsync([$"Sidecar:DataDir={data.Path}"]);

        var second = await CliProcess.RunAsync(data.Path, Limit, "serve", "--urls=http://127.0.0.1:0", $"--Sidecar:DataDir={data.Path}");

        Assert.That(second.Code, Is.EqualTo(SidecarCli.BadUsage), second.Out + second.Error);
        Assert.That(second.Error.Trim(), Is.EqualTo($"error: the data dir '{data.Path}' is in use by another sidecar (serve or demo); stop it first or use another data dir"));
        Assert.That(first.HasExited, Is.False);
        using var http = new HttpClient { BaseAddress = first.BaseAddress };
        using var health = await http.GetAsync("/readyz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Serve_AfterASidecarWasKilled_StartsOnItsDataDir()
    {
        using var data = new TempDirectory();
        var killed = await SidecarProcess.StartAsync([$"Sidecar:DataDir={data.Path}"]);
        await killed.KillAsync();
        await killed.DisposeAsync();
        Assert.That(File.Exists(Path.Combine(data.Path, DataDirLock.FileName)), Is.True, "the killed process left its lock file");

        await using var again = await SidecarProcess.StartAsync([$"Sidecar:DataDir={data.Path}"]);

        Assert.That(again.HasExited, Is.False, again.Tail);
    }
}
