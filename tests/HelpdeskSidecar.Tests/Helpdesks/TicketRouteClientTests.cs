using System.Text.Json.Nodes;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks;

/// <summary>
/// Routing writes through the real clients to the loopback helpdesks: one Update Ticket with only the route's
/// attributes, checked against the recorded specs (Zendesk Support OAS, Freshdesk's Update a Ticket table), and the
/// ticket's route read back.
/// </summary>
public class TicketRouteClientTests
{
    private static readonly TicketRoute Route = new("4242", "high", new Dictionary<string, string> { ["360005"] = "returns" });

    [Test]
    public async Task Zendesk_SetRoute_OneUpdateTicketTheOasAccepts_ReadBackOnTheTicket()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.AddTicket(61, "Refund", "Where is my refund?");
        var client = HelpdeskClients.Zendesk(new ZendeskOptions { BaseUrl = zendesk.BaseUrl, Email = "bot@example.com", ApiToken = "t0ken" });

        var result = await client.SetRouteAsync("61", Route, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.Error);
        var put = zendesk.Requests.Single();
        Assert.That((put.Method, put.PathAndQuery), Is.EqualTo(("PUT", "/api/v2/tickets/61")));
        var ticket = JsonNode.Parse(put.Body!)!["ticket"]!.AsObject();
        Assert.That(ticket.Select(p => p.Key), Is.EquivalentTo(new[] { "group_id", "priority", "custom_fields" }), "nothing but the route");
        Assert.That(ticket["group_id"]!.GetValue<long>(), Is.EqualTo(4242));
        Assert.That(ticket["priority"]!.GetValue<string>(), Is.EqualTo("high"));
        Assert.That(ticket["custom_fields"]![0]!["id"]!.GetValue<long>(), Is.EqualTo(360005));
        Assert.That(ticket["custom_fields"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("returns"));

        var spec = ZendeskOpenApi.FindSpecPath();
        if (spec is null)
            Assert.Ignore("shared/contracts/zendesk/oas/support-oas.yaml is not reachable from here");
        var oas = ZendeskOpenApi.Load(spec);
        Assert.That(oas.ValidateRequest(put.Method, put.PathAndQuery, put.Body, rejectReadOnly: true), Is.Empty);
        Assert.That(oas.ValidateRequest("PUT", "/api/v2/tickets/61", """{"ticket": {"priority": "asap"}}"""), Is.Not.Empty, "negative control: priority enum");
        Assert.That(oas.ValidateRequest("PUT", "/api/v2/tickets/61", """{"ticket": {"group": 4242}}"""), Is.Not.Empty, "negative control: undeclared attribute");

        var read = await client.GetTicketAsync("61", CancellationToken.None);
        Assert.That(read.Route, Is.Not.Null);
        Assert.That((read.Route!.GroupId, read.Route.Priority, read.Route.Fields["360005"]), Is.EqualTo(("4242", "high", "returns")));
    }

    [Test]
    public async Task Zendesk_FieldKeyThatIsNotAnId_RefusedPermanentlyWithoutACall()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        var client = HelpdeskClients.Zendesk(new ZendeskOptions { BaseUrl = zendesk.BaseUrl, Email = "bot@example.com", ApiToken = "t0ken" });

        var result = await client.SetRouteAsync("62", new TicketRoute(null, null, new Dictionary<string, string> { ["cf_tier"] = "gold" }), CancellationToken.None);

        Assert.That((result.Succeeded, result.Retryable), Is.EqualTo((false, false)));
        Assert.That(result.Error, Does.Contain("cf_tier"));
        Assert.That(zendesk.Requests, Is.Empty);
    }

    [Test]
    public async Task Freshdesk_SetRoute_OneUpdateTicketTheDocsAccept_PriorityAsItsNumber_ReadBackOnTheTicket()
    {
        await using var freshdesk = await FakeFreshdesk.StartAsync();
        freshdesk.AddTicket(63, "Refund", "Where is my refund?");
        var client = HelpdeskClients.Freshdesk(new FreshdeskOptions { BaseUrl = freshdesk.BaseUrl, ApiKey = FakeFreshdesk.ApiKey });

        var result = await client.SetRouteAsync("63", new TicketRoute("77", "normal", new Dictionary<string, string> { ["cf_queue"] = "returns" }), CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.Error);
        var put = freshdesk.Requests.Single();
        var body = JsonNode.Parse(put.Body!)!.AsObject();
        Assert.That(body.Select(p => p.Key), Is.EquivalentTo(new[] { "group_id", "priority", "custom_fields" }), "no tags: Update Ticket would replace them");
        Assert.That((body["group_id"]!.GetValue<long>(), body["priority"]!.GetValue<int>()), Is.EqualTo((77L, 2)), "normal is Freshdesk's Medium (2)");
        Assert.That(body["custom_fields"]!["cf_queue"]!.GetValue<string>(), Is.EqualTo("returns"));

        var path = FreshdeskApiDocs.FindPath();
        if (path is null)
            Assert.Ignore("shared/contracts/freshdesk/ktsaou-freshdesk_mcp/FRESHDESK_API_DOCS.txt is not reachable from here");
        var docs = FreshdeskApiDocs.Load(path);
        Assert.That(docs.UpdateTicketAttributes, Does.ContainKey("group_id").And.ContainKey("priority").And.ContainKey("custom_fields"), "the table was read");
        Assert.That(docs.ValidateUpdateTicket(put.Method, put.PathAndQuery, put.Body), Is.Empty);
        Assert.That(docs.ValidateUpdateTicket("PUT", "/api/v2/tickets/63", """{"priority": 5}"""), Is.Not.Empty, "negative control: priority value");
        Assert.That(docs.ValidateUpdateTicket("PUT", "/api/v2/tickets/63", """{"priority": "high"}"""), Is.Not.Empty, "negative control: priority type");
        Assert.That(docs.ValidateUpdateTicket("PUT", "/api/v2/tickets/63", """{"queue": 1}"""), Is.Not.Empty, "negative control: undocumented attribute");

        var read = await client.GetTicketAsync("63", CancellationToken.None);
        Assert.That((read.Route!.GroupId, read.Route.Priority, read.Route.Fields["cf_queue"]), Is.EqualTo(("77", "normal", "returns")));
    }
}
