using System.Text.Json.Nodes;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>replay</c> and <c>report acceptance</c> through the real command line, on the repository's samples.</summary>
[NonParallelizable] // redirects Console
public class ApprovalCliTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    private static string Samples() => TestSupport.Samples.Root;

    [Test]
    public async Task Replay_Samples_PrintsExpectedAcceptancePerIntent_ThenReportCountsTheSameDrafts()
    {
        var samples = Samples();
        var export = Path.Combine(samples, "tickets", "zendesk-export.json");
        var ticketCount = JsonNode.Parse(await File.ReadAllTextAsync(export))!["tickets"]!.AsArray().Count;
        using var data = new TempDirectory();

        var replay = await RunAsync("replay", "--tickets", export, "--knowledge", Path.Combine(samples, "knowledge"),
            "--history", Path.Combine(samples, "history", "past-tickets.csv"), $"--Sidecar:DataDir={data.Path}");
        Assert.That(replay.Code, Is.EqualTo(SidecarCli.Ok), replay.Error);
        Assert.That(replay.Out, Does.Contain("Expected acceptance"));
        Assert.That(replay.Out, Does.Contain($"Tickets: {ticketCount} "));
        Assert.That(replay.Out, Does.Contain("refund_status"), "drafts are grouped by the predicted intent");

        var report = await RunAsync("report", "acceptance", "--format", "json", $"--Sidecar:DataDir={data.Path}");
        Assert.That(report.Code, Is.EqualTo(SidecarCli.Ok), report.Error);
        var json = JsonNode.Parse(report.Out)!;
        var total = json["total"]!;
        var drafts = int.Parse(System.Text.RegularExpressions.Regex.Match(replay.Out, @"drafts: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(total["suggestions"]!.GetValue<int>(), Is.EqualTo(drafts));
        Assert.That(total["suggestions"]!.GetValue<int>(), Is.EqualTo(
            total["sent_as_is"]!.GetValue<int>() + total["edited"]!.GetValue<int>() + total["rejected"]!.GetValue<int>() + total["no_reply"]!.GetValue<int>()));
        Assert.That(json["groups"]!.AsArray().Sum(g => g!["suggestions"]!.GetValue<int>()), Is.EqualTo(drafts));

        var csv = await RunAsync("report", "acceptance", "--format", "csv", "--by", "week", $"--Sidecar:DataDir={data.Path}");
        Assert.That(csv.Code, Is.EqualTo(SidecarCli.Ok), csv.Error);
        Assert.That(csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1], Does.StartWith($"(total),{drafts},"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [TestCase("--from", "2026-1-1", "--from")]
    [TestCase("--by", "moon", "--by")]
    [TestCase("--format", "xml", "--format")]
    public async Task ReportAcceptance_BadOption_Exits2WithOneLineNamingIt(string option, string value, string named)
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("report", "acceptance", option, value, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith("error: " + named).And.Not.Contain("\n"));
    }

    [Test]
    public async Task Replay_MissingFileOrUnsupportedFormat_Exits2()
    {
        using var data = new TempDirectory();
        var missing = await RunAsync("replay", "--tickets", Path.Combine(data.Path, "nope.json"), $"--Sidecar:DataDir={data.Path}");
        Assert.That(missing.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(missing.Error, Does.Contain("--tickets"));
        var format = await RunAsync("replay", "--tickets", Path.Combine(data.Path, "nope.json"), "--format", "freshdesk", $"--Sidecar:DataDir={data.Path}");
        Assert.That(format.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(format.Error, Does.Contain("--format freshdesk"));
    }
}
