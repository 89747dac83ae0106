using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// Route precision as agents vote, on both storage providers: routes applied automatically and suggested on a Zendesk
/// ticket, the agent keeps some and changes others, the ticket is solved; <c>GET /api/reports/routes</c> (JSON, CSV)
/// and <c>report routes</c> count each route kept or dropped.
/// </summary>
[NonParallelizable] // the CLI part redirects Console
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class RoutePrecisionTests(string provider)
{
    [Test]
    public async Task SolvedTicket_KeptAndChangedRoutes_CountedPerRuleAndTarget_JsonCsvAndCli()
    {
        var storage = await StorageProviders.SettingsAsync(provider);
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().With(storage).WithPolicy(RoutingTests.ZendeskPolicy)
            .WithArticle("refunds.md", "# How refunds work\n\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        var ticket = zendesk.AddTicket(9301, "Refund timing", RoutingTests.Refund);
        await RoutingTests.SendZendeskAsync(host, "evt-prec-route-1", 9301);
        await Eventually.GetAsync(() => Task.FromResult(ticket.GroupId), g => g == 4242, because: "the automatic route");

        // The agent lowers the priority and never takes the suggested field; then solves the ticket.
        ticket.Priority = "normal";
        ticket.Status = "solved";
        await RoutingTests.SendZendeskAsync(host, "evt-prec-route-2", 9301, "ticket.status_changed");

        var report = await Eventually.GetAsync(() => host.Client.GetFromJsonAsync<JsonObject>("/api/reports/routes"),
            r => r!["routes"]!.AsArray().Count == 4, because: "the solved ticket's routes settled");
        var rows = report!["routes"]!.AsArray().Select(r => (
            r!["rule"]!.GetValue<string>(), r["target"]!.GetValue<string>(), r["value"]!.GetValue<string>(),
            r["applied"]!.GetValue<int>(), r["suggested"]!.GetValue<int>(), r["kept"]!.GetValue<int>(), r["dropped"]!.GetValue<int>())).ToList();
        Assert.That(rows, Is.EquivalentTo(new[]
        {
            ("refunds-to-billing", "group", "4242", 1, 0, 1, 0),
            ("refunds-to-billing", "priority", "high", 1, 0, 0, 1),
            ("refunds-to-billing", "field:360005", "returns", 1, 0, 1, 0),
            ("refunds-flag", "field:360006", "check-card", 0, 1, 0, 1),
        }));
        Assert.That(report["routes"]!.AsArray().Single(r => r!["target"]!.GetValue<string>() == "group")!["precision"]!.GetValue<double>(), Is.EqualTo(1.0));

        // Settled once: another event on the solved ticket adds nothing.
        await RoutingTests.SendZendeskAsync(host, "evt-prec-route-3", 9301, "ticket.status_changed");
        using (var csv = await host.Client.GetAsync("/api/reports/routes?format=csv"))
        {
            Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var lines = (await csv.Content.ReadAsStringAsync()).Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            Assert.That(lines[0], Is.EqualTo("rule,target,value,applied,suggested,kept,dropped,precision"));
            Assert.That(lines, Does.Contain("refunds-to-billing,priority,high,1,0,0,1,0"));
            Assert.That(lines, Has.Count.EqualTo(5));
        }
        using (var bad = await host.Client.GetAsync("/api/reports/routes?format=xml"))
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(bad.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        }

        string[] data = [$"--Sidecar:DataDir={host.DataDir}", .. storage.Select(s => "--" + s)];
        var (code, output, error) = await CliRunner.RunAsync(["report", "routes", "--format", "json", .. data]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(JsonNode.Parse(output)!["routes"]!.AsArray(), Has.Count.EqualTo(4));
        var (badCode, _, badError) = await CliRunner.RunAsync(["report", "routes", "--format", "xml", .. data]);
        Assert.That(badCode, Is.EqualTo(2));
        Assert.That(badError.Trim(), Does.StartWith("error: ").And.Contain("--format").And.Not.Contain("\n"));
    }
}
