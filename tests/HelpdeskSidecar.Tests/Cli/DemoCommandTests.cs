using System.Net;
using System.Net.Sockets;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>demo</c> as a child process: it must end, and say what was wrong in one line.</summary>
public class DemoCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>A samples folder: the repository's knowledge and export, unless a test replaces a file.</summary>
    private static string Samples(TempDirectory dir, string? export = null, string? history = null)
    {
        var samples = Path.Combine(dir.Path, "samples");
        var source = TestSupport.Samples.Root;
        Directory.CreateDirectory(Path.Combine(samples, "knowledge"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "knowledge")))
            File.Copy(file, Path.Combine(samples, "knowledge", Path.GetFileName(file)));
        dir.File("samples/tickets/zendesk-export.json", export ?? File.ReadAllText(Path.Combine(source, "tickets", "zendesk-export.json")));
        if (history is not null)
            dir.File("samples/history/past-tickets.csv", history);
        return samples;
    }

    [Test]
    public async Task Demo_MalformedExport_Exits2WithOneLineAndEnds()
    {
        using var dir = new TempDirectory();
        var samples = Samples(dir, export: "{}");

        var result = await CliProcess.RunAsync(dir.Path, Limit, "demo", "--no-serve", "--samples", samples, "--urls=http://127.0.0.1:0");

        Assert.That(result.TimedOut, Is.False, "the demo did not end:\n" + result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith("error: ").And.EndWith("holds no Zendesk tickets.").And.Not.Contain("\n"));
        Assert.That(result.Out, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task Demo_FailureAfterTheHostStarted_Exits2AndEnds()
    {
        using var dir = new TempDirectory();
        // The history file is read once the host runs (knowledge imported first): a bad one fails mid-demo.
        var samples = Samples(dir, history: "subject,label\nhello,greeting\n");

        var result = await CliProcess.RunAsync(dir.Path, Limit, "demo", "--no-serve", "--samples", samples, "--urls=http://127.0.0.1:0");

        Assert.That(result.TimedOut, Is.False, "the demo did not end:\n" + result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith("error: ").And.Contain("has no column 'text'").And.Not.Contain("\n"));
        Assert.That(result.Out, Does.Contain("Knowledge:"), "it failed after the host had started");
    }

    [Test]
    public async Task Demo_NoServeWhilePortIsBusy_RunsAndListensNowhere()
    {
        using var dir = new TempDirectory();
        var samples = Samples(dir);
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var result = await CliProcess.RunAsync(dir.Path, TimeSpan.FromMinutes(4), "demo", "--no-serve", "--samples", samples, $"--urls=http://127.0.0.1:{port}");

        Assert.That(result.Code, Is.EqualTo(SidecarCli.Ok), result.Out + result.Error);
        Assert.That(result.Out, Does.Contain("Tickets: "));
        Assert.That(result.Out, Does.Match(@"Themes \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d: 36 customer messages, [1-9]\d* themes \(minilm\)"), "the demo shows the themes of the samples");
        Assert.That(result.Out, Does.Not.Contain("Now listening"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Demo_ServeWhilePortIsBusy_Exits2NamingTheAddress(bool urlApart)
    {
        using var dir = new TempDirectory();
        var samples = Samples(dir);
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        string[] urls = urlApart ? ["--urls", $"http://127.0.0.1:{port}"] : [$"--urls=http://127.0.0.1:{port}"];
        var result = await CliProcess.RunAsync(dir.Path, Limit, ["demo", "--samples", samples, .. urls]);

        Assert.That(result.TimedOut, Is.False, "the demo did not end:\n" + result.Out + result.Error);
        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Does.StartWith("error: --urls: ").And.Contain($"http://127.0.0.1:{port}").And.Contain("address already in use").And.Not.Contain("\n"));
        Assert.That(result.Out + result.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task Demo_WhileASidecarServesTheDemoDataDir_Exits2AndLeavesItsData()
    {
        using var dir = new TempDirectory();
        var samples = Samples(dir);
        var demoData = Path.Combine(dir.Path, ".data", "demo");
        await using var serving = await SidecarProcess.StartAsync([$"Sidecar:DataDir={demoData}"]);

        var result = await CliProcess.RunAsync(dir.Path, Limit, "demo", "--no-serve", "--samples", samples);

        Assert.That(result.Code, Is.EqualTo(SidecarCli.BadUsage), result.Out + result.Error);
        Assert.That(result.Error.Trim(), Is.EqualTo($"error: the data dir '{demoData}' is in use by another sidecar (serve or demo); stop it first or use another data dir"));
        Assert.That(File.Exists(Path.Combine(demoData, "sidecar.db")), Is.True, "the serving sidecar's data is still there");
        Assert.That(serving.HasExited, Is.False);
    }
}
