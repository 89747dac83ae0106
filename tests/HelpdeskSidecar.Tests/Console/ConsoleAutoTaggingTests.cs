using System.Net;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions.Tagging;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>The "done when", at HTTP level: an ops lead switches a tag to auto in the console, and the next matching Live ticket is tagged through Zendesk.</summary>
public class ConsoleAutoTaggingTests
{
    [Test]
    public async Task OpsLeadSwitchesTagToAutoInConsole_NextLiveTicketIsTaggedThroughZendesk_AuditNamesTheUser()
    {
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.\n")
            .WithHistory(IntentClassifierTests.History())
            .WithUser("olivia", Role.OpsLead, "olivia-password")
            .StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        using var session = new ConsoleSession(host.BaseAddress);
        using (var signIn = await session.SignInAsync("olivia", "olivia-password"))
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var saved = await session.SubmitAsync("/console/tagging", "#new-rule",
            new Dictionary<string, string> { ["scope"] = "tag", ["name"] = "refund", ["mode"] = "auto", ["threshold"] = "0.2" });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var ticket = zendesk.AddTicket(9702, "Refund timing", "The refund for my returned shoes has not reached my card yet, when will it arrive?");
        using (var webhook = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-console-tag", 9702))))
            Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var tagPut = await Eventually.GetAsync(() => Task.FromResult(zendesk.TagPuts(9702)), p => p.Count >= 1, because: "the tag update");

        var sent = JsonNode.Parse(tagPut[0].Body!)!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.That(sent, Does.Contain("refund"));
        Assert.That(ticket.Tags, Does.Contain("refund"));
        var audit = await host.Service<TaggingStore>().AuditAsync(10, CancellationToken.None);
        Assert.That(audit.Single().Who, Is.EqualTo("olivia"));
    }
}
