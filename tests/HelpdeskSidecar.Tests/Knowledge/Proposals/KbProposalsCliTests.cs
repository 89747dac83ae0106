using System.Text.Json.Nodes;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Tests.TestSupport;
using static HelpdeskSidecar.Tests.Knowledge.Proposals.ProposalTestData;

namespace HelpdeskSidecar.Tests.Knowledge.Proposals;

/// <summary><c>kb proposals</c> on the data dir of a host that made a proposal; a bad status is exit code 2 with one line.</summary>
[NonParallelizable] // CliRunner redirects Console
public class KbProposalsCliTests
{
    [Test]
    public async Task KbProposals_ListsWhatTheApiLists_BadStatusIsUsageError()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        await using var host = await SidecarTestHost.StartAsync(zendesk.ConnectionSettings);
        var ticket = zendesk.AddTicket(9801, "Driver jobs in Lisbon?", "Are you hiring delivery drivers in Lisbon?");
        await GapAsync(host, host.Service<ZendeskClient>(), "9801", "Are you hiring delivery drivers in Lisbon?");
        ticket.AddComment(FakeZendesk.AgentId, "Open roles are on our careers page.", isPublic: true);
        ticket.Status = "solved";
        await TrackAsync(host, host.Service<ZendeskClient>(), "9801");

        var json = await CliRunner.RunAsync("kb", "proposals", "--format", "json", $"--Sidecar:DataDir={host.DataDir}");
        Assert.That(json.Code, Is.EqualTo(SidecarCli.Ok), json.Error);
        var item = JsonNode.Parse(json.Out)!["items"]!.AsArray().Single()!;
        Assert.That((item["title"]!.GetValue<string>(), item["status"]!.GetValue<string>()), Is.EqualTo(("Driver jobs in Lisbon?", "proposed")));
        var table = await CliRunner.RunAsync("kb", "proposals", "--status", "proposed", $"--Sidecar:DataDir={host.DataDir}");
        Assert.That(table.Out, Does.Contain("1 article proposals proposed").And.Contain("Driver jobs in Lisbon?"));

        var bad = await CliRunner.RunAsync("kb", "proposals", "--status", "maybe", $"--Sidecar:DataDir={host.DataDir}");
        Assert.That(bad.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(bad.Error.Trim(), Is.EqualTo("error: --status must be one of proposed, approved, published, rejected"));
    }
}
