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

        // The export's users sideload names the agents: the report shows them by name, never by id.
        var byAgent = await RunAsync("report", "acceptance", "--format", "csv", "--by", "agent", $"--Sidecar:DataDir={data.Path}");
        var agentKeys = byAgent.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.That(agentKeys, Has.Some.EqualTo("Sam Agent").Or.Some.EqualTo("Priya Nair").Or.Some.EqualTo("Tomas Ferreira"), byAgent.Out);
        Assert.That(agentKeys, Has.None.Match(@"^\d+$"), "no raw ids");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    // QA #9: the demo printed a tag precision computed in memory while 'report tags' on the same data dir showed nothing.
    [Test]
    public async Task Replay_Samples_TagPrecisionLine_MatchesReportTagsOnTheSameDataDir()
    {
        var samples = Samples();
        using var data = new TempDirectory();

        var replay = await RunAsync("replay", "--tickets", Path.Combine(samples, "tickets", "zendesk-export.json"), "--knowledge", Path.Combine(samples, "knowledge"),
            "--history", Path.Combine(samples, "history", "past-tickets.csv"), $"--Sidecar:DataDir={data.Path}");
        Assert.That(replay.Code, Is.EqualTo(SidecarCli.Ok), replay.Error);
        var line = System.Text.RegularExpressions.Regex.Match(replay.Out, @"Tag precision: (\d+)% \((\d+)/(\d+) applied or suggested tags kept on the ticket, (\d+) tags");
        Assert.That(line.Success, Is.True, replay.Out);

        var report = await RunAsync("report", "tags", "--format", "json", $"--Sidecar:DataDir={data.Path}");
        Assert.That(report.Code, Is.EqualTo(SidecarCli.Ok), report.Error);
        var tags = JsonNode.Parse(report.Out)!["tags"]!.AsArray();
        int Number(int group) => int.Parse(line.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);
        var kept = tags.Sum(t => t!["kept"]!.GetValue<int>());
        var settled = kept + tags.Sum(t => t!["dropped"]!.GetValue<int>());
        Assert.That(settled, Is.GreaterThan(0), "the replay's suggested tags are in the store the report reads");
        Assert.That((Number(2), Number(3), Number(4)), Is.EqualTo((kept, settled, tags.Count)));
        Assert.That(Number(1), Is.EqualTo((int)Math.Round(100.0 * kept / settled)));
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
        var format = await RunAsync("replay", "--tickets", Path.Combine(data.Path, "nope.json"), "--format", "helpscout", $"--Sidecar:DataDir={data.Path}");
        Assert.That(format.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(format.Error, Does.Contain("--format helpscout"));
    }

    [TestCase("not json\n at all", "is not a Freshdesk export")]
    [TestCase("""{"tickets": 5}""", "expected an array of tickets")]
    [TestCase("[]", "holds no Freshdesk tickets")]
    [TestCase("""[{"id": 1, "status": "open"}]""", "$[0].status")]
    public async Task Replay_BadFreshdeskFile_Exits2WithOneLineReason(string content, string reason)
    {
        using var data = new TempDirectory();
        var file = data.File("export.json", content);
        var (code, _, error) = await RunAsync("replay", "--tickets", file, "--format", "freshdesk", $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(reason).And.Not.Contain("\n"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Replay_FreshdeskSample_ScoresDraftsAgainstTheAgentsReplies_ReportCountsThem()
    {
        var samples = Samples();
        var export = Path.Combine(samples, "tickets", "freshdesk-export.json");
        var ticketCount = JsonNode.Parse(await File.ReadAllTextAsync(export))!.AsArray().Count;
        using var data = new TempDirectory();

        var replay = await RunAsync("replay", "--tickets", export, "--format", "freshdesk", "--knowledge", Path.Combine(samples, "knowledge"),
            "--history", Path.Combine(samples, "history", "past-tickets.csv"), $"--Sidecar:DataDir={data.Path}");
        Assert.That(replay.Code, Is.EqualTo(SidecarCli.Ok), replay.Error);
        Assert.That(replay.Out, Does.Contain($"Tickets: {ticketCount} "));
        Assert.That(replay.Out, Does.Contain("refund_status"));
        var drafts = int.Parse(System.Text.RegularExpressions.Regex.Match(replay.Out, @"drafts: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(drafts, Is.GreaterThan(0));

        var report = await RunAsync("report", "acceptance", "--format", "json", $"--Sidecar:DataDir={data.Path}");
        var total = JsonNode.Parse(report.Out)!["total"]!;
        Assert.That(total["suggestions"]!.GetValue<int>(), Is.EqualTo(drafts), "every draft got a verdict from the agents' replies");
        Assert.That(total["edited"]!.GetValue<int>() + total["sent_as_is"]!.GetValue<int>(), Is.GreaterThan(0));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Replay_FreshdeskExport_PrivateNoteIsNoReply_UnrelatedPublicReplyIsRejected()
    {
        using var data = new TempDirectory();
        using var knowledge = new TempDirectory();
        knowledge.File("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.");
        static string Conversation(long id, long user, bool incoming, bool isPrivate, string text) =>
            $$"""{"id": {{id}}, "body": "<div>{{text}}</div>", "body_text": "{{text}}", "incoming": {{(incoming ? "true" : "false")}}, "private": {{(isPrivate ? "true" : "false")}}, "user_id": {{user}}, "source": {{(isPrivate ? 2 : 0)}}, "created_at": "2026-10-01T10:0{{id % 10}}:00Z"}""";
        static string Ticket(long id, string text, params string[] conversations) =>
            $$"""{"id": {{id}}, "subject": "Refund timing", "description": "<div>{{text}}</div>", "description_text": "{{text}}", "status": 4, "source": 1, "tags": [], "requester_id": 77, "created_at": "2026-10-01T10:00:00Z", "conversations": [{{string.Join(",", conversations)}}]}""";
        var file = data.File("freshdesk.json", "[" + string.Join(",",
            Ticket(301, "I returned the jacket, when will the refund reach my card?",
                Conversation(1, 88, incoming: false, isPrivate: true, "Checked the warehouse: the jacket arrived. Refunds reach your card within 5 to 10 business days.")),
            Ticket(302, "When will the refund for my returned shoes reach my card?",
                Conversation(2, 77, incoming: true, isPrivate: false, "Any news on this refund?"),
                Conversation(3, 88, incoming: false, isPrivate: false, "Our billing team will call you on Tuesday about the invoice."))) + "]");

        var replay = await RunAsync("replay", "--tickets", file, "--format", "freshdesk", "--knowledge", knowledge.Path, $"--Sidecar:DataDir={data.Path}");
        Assert.That(replay.Code, Is.EqualTo(SidecarCli.Ok), replay.Error);
        Assert.That(replay.Out, Does.Contain("Tickets: 2 ").And.Contain("drafts: 2 "));

        var report = await RunAsync("report", "acceptance", "--format", "json", $"--Sidecar:DataDir={data.Path}");
        var total = JsonNode.Parse(report.Out)!["total"]!;
        Assert.That(total["no_reply"]!.GetValue<int>(), Is.EqualTo(1), "the agent's private note is not a reply");
        Assert.That(total["rejected"]!.GetValue<int>(), Is.EqualTo(1), "the public reply shares nothing with the draft");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
