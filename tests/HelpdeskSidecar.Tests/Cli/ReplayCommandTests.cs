using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>replay</c>'s refusals: one line and exit 2 for a file that is not an export it can replay.</summary>
[NonParallelizable] // redirects Console
public class ReplayCommandTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [TestCase("--tickets", "is a directory, not an export file")]
    [TestCase("--history", "is a directory, not a CSV file")]
    public async Task Replay_DirectoryWhereAFileBelongs_Exits2SayingItIsADirectory(string option, string reason)
    {
        using var data = new TempDirectory();
        var export = data.File("export.json", """{"tickets":[],"users":[],"ticket_events":[]}""");
        string[] args = option == "--tickets" ? ["--tickets", data.Path] : ["--tickets", export, "--history", data.Path];
        var (code, _, error) = await RunAsync(["replay", .. args, $"--Sidecar:DataDir={data.Path}"]);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: {option} '{data.Path}' {reason}"));
    }
}
