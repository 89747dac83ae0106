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

    [TestCase("{}", "holds no Zendesk tickets.")]
    [TestCase("null", "holds no Zendesk tickets.")]
    [TestCase("""{"tickets":[],"users":[],"ticket_events":[]}""", "holds no Zendesk tickets.")]
    [TestCase("""{"tickets":[{"id":1}]}""", "is not a Zendesk export: \"users\" is missing")]
    [TestCase("""{"tickets":[{"id":1}],"users":null,"ticket_events":[]}""", "is not a Zendesk export: \"users\" is missing")]
    [TestCase("""{"tickets":[{"id":1}],"users":[],"ticket_events":null}""", "is not a Zendesk export: \"ticket_events\" is missing")]
    [TestCase("""{"tickets":[{"id":1},{"id":1}],"users":[],"ticket_events":[]}""", "is not a Zendesk export: duplicate ticket id 1.")]
    [TestCase("""{"tickets":[{"id":1}],"users":[{"id":9001},{"id":9001}],"ticket_events":[]}""", "is not a Zendesk export: duplicate user id 9001.")]
    [TestCase("""{"tickets":[{"id":1},null],"users":[],"ticket_events":[]}""", "is not a Zendesk export: tickets[1] is null.")]
    [TestCase("""{"tickets":[{"subject":"no id"}],"users":[],"ticket_events":[]}""", "is not a Zendesk export: tickets[0] has no \"id\".")]
    public async Task Replay_ZendeskJsonThatIsNoUsableExport_Exits2WithOneLineReason(string content, string reason)
    {
        using var data = new TempDirectory();
        var file = data.File("export.json", content);
        var (code, output, error) = await RunAsync("replay", "--tickets", file, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output + error);
        Assert.That(error.Trim(), Does.StartWith($"error: {file} {reason}").And.Not.Contain("\n"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [TestCase("""[{"id":201},{"id":201}]""", "is not a Freshdesk export: duplicate ticket id 201.")]
    [TestCase("""[{"id":201},null]""", "is not a Freshdesk export: ticket #2 is null.")]
    public async Task Replay_FreshdeskJsonThatIsNoUsableExport_Exits2WithOneLineReason(string content, string reason)
    {
        using var data = new TempDirectory();
        var file = data.File("export.json", content);
        var (code, output, error) = await RunAsync("replay", "--tickets", file, "--format", "freshdesk", $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output + error);
        Assert.That(error.Trim(), Is.EqualTo($"error: {file} {reason}"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Replay_CsvGivenAsExport_QuotesAShortExcerptNotTheFile()
    {
        using var data = new TempDirectory();
        var rows = Enumerable.Range(1, 50).Select(i => $"\"ticket text number {i} about a refund\",refund_status,refund");
        var file = data.File("past.csv", string.Join("\n", rows.Prepend("text,intent,tags")));
        var (code, _, error) = await RunAsync("replay", "--tickets", file, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith($"error: {file} is not a Zendesk export: 'text,intent,tags").And.Contain("(line 1, byte"));
        Assert.That(error, Does.Not.Contain("number 5 about"));
        Assert.That(error.Trim().Length, Is.LessThan(file.Length + 250));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
