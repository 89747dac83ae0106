using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// Routing end to end: the policy's routing rules on a refund ticket; suggested routes in the note, the trace and the
/// apps' endpoint; automatic ones set through the loopback Zendesk and Freshdesk in Live mode only, once, with the
/// request checked against the recorded specs; the rule's mode switched by an ops lead, audited.
/// </summary>
public class RoutingTests
{
    internal const string ZendeskPolicy = """
        version: 1
        routing:
          - name: refunds-to-billing
            mode: auto
            match:
              keywords: [refund]
            group: "4242"
            priority: high
            fields:
              "360005": returns
          - name: refunds-flag
            match:
              keywords: [refund]
            priority: urgent
            fields:
              "360006": check-card
        """;

    internal const string Refund = "I returned the jacket, when will the refund reach my card?";

    private static Task<SidecarScenario> StartAsync(Func<SidecarScenarioBuilder, SidecarScenarioBuilder> setup, string policy = ZendeskPolicy) =>
        setup(SidecarScenario.Create()).WithPolicy(policy)
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .StartAsync();

    internal static async Task<JsonObject> SuggestionAsync(SidecarTestHost host, string helpdesk, long ticketId)
    {
        var items = await Eventually.GetAsync(
            async () => (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            i => i.Count == 1, because: $"the suggestion on {ticketId}");
        _ = helpdesk;
        return (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{items[0]!["id"]!.GetValue<string>()}"))!;
    }

    internal static async Task SendZendeskAsync(SidecarTestHost host, string eventId, long ticketId, string type = "ticket.created")
    {
        using var sent = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticketId, type)));
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Zendesk_Live_AutoRouteSetOnceThroughUpdateTicket_SuggestedRouteInTheNoteAndTheApps()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk().InLiveMode());
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        var ticket = zendesk.AddTicket(9201, "Refund timing", Refund);

        await SendZendeskAsync(host, "evt-route-1", 9201);

        await Eventually.GetAsync(() => Task.FromResult(ticket.GroupId), g => g == 4242, because: "the automatic route");
        Assert.That((ticket.Priority, ticket.Fields["360005"]), Is.EqualTo(("high", "returns")));
        Assert.That(ticket.Fields.ContainsKey("360006"), Is.False, "a suggested route is not applied");
        var routePut = zendesk.RoutePuts(9201).Single();
        var notes = zendesk.Puts(9201).Except(zendesk.RoutePuts(9201)).ToList();
        Assert.That(notes, Has.Count.EqualTo(1));
        var note = JsonNode.Parse(notes[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("Auto-route (applied in Live mode): group 4242, priority high, field 360005 = returns (rule refunds-to-billing)"));
        Assert.That(note, Does.Contain("Suggested route: field 360006 = check-card (rule refunds-flag)"), "its priority was taken by the first rule");
        if (ZendeskOpenApi.FindSpecPath() is { } spec)
            Assert.That(ZendeskOpenApi.Load(spec).ValidateRequest(routePut.Method, routePut.PathAndQuery, routePut.Body, rejectReadOnly: true), Is.Empty);

        var detail = await SuggestionAsync(host, "zendesk", 9201);
        var routes = detail["trace"]!["routing"]!.AsArray();
        Assert.That(routes.Select(r => (r!["rule"]!.GetValue<string>(), r["target"]!.GetValue<string>(), r["action"]!.GetValue<string>())), Is.EqualTo(new[]
        {
            ("refunds-to-billing", "group", "auto"), ("refunds-to-billing", "priority", "auto"), ("refunds-to-billing", "field:360005", "auto"),
            ("refunds-flag", "field:360006", "suggest"),
        }));
        var panel = await host.Client.GetFromJsonAsync<JsonObject>("/api/suggestions/latest?helpdesk=zendesk&ticket=9201");
        Assert.That(panel!["routes"]!.AsArray().Select(r => (r!["label"]!.GetValue<string>(), r["action"]!.GetValue<string>())),
            Does.Contain(("field 360006 = check-card", "suggest")).And.Contain(("group 4242", "auto")));
    }

    [Test]
    public async Task Zendesk_Shadow_RecordsWhatItWouldRoute_WritesNothing()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk());
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        var ticket = zendesk.AddTicket(9202, "Refund timing", Refund);

        await SendZendeskAsync(host, "evt-route-2", 9202);

        var detail = await SuggestionAsync(host, "zendesk", 9202);
        Assert.That(detail["mode"]!.GetValue<string>(), Is.EqualTo("Shadow"));
        Assert.That(detail["trace"]!["routing"]!.AsArray().Where(r => r!["action"]!.GetValue<string>() == "auto").Select(r => r!["target"]!.GetValue<string>()),
            Is.EqualTo(new[] { "group", "priority", "field:360005" }), "Shadow records the automatic route it would apply");
        Assert.That(detail["note"]!.GetValue<string>(), Does.Contain("Auto-route (applied in Live mode): group 4242"));
        Assert.That(zendesk.Requests.Where(r => r.Method != "GET"), Is.Empty, "Shadow writes nothing to the helpdesk");
        Assert.That((ticket.GroupId, ticket.Priority), Is.EqualTo(((long?)null, (string?)null)));
    }

    [Test]
    public async Task Zendesk_RouteUpdateFailsOnce_RetriedUntilSet_TheNoteWrittenOnce()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk().InLiveMode().With("Sidecar:Scheduling:RetryInitialDelay=00:00:00.200"));
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        var ticket = zendesk.AddTicket(9203, "Refund timing", Refund);
        zendesk.FailNextRouteUpdates(503);

        await SendZendeskAsync(host, "evt-route-3", 9203);

        await Eventually.GetAsync(() => Task.FromResult(ticket.GroupId), g => g == 4242, timeout: TimeSpan.FromSeconds(60), because: "the route, on the retry");
        Assert.That(zendesk.RoutePuts(9203), Has.Count.EqualTo(2), "one refused, one applied");
        Assert.That(zendesk.Puts(9203).Count - zendesk.RoutePuts(9203).Count, Is.EqualTo(1), "the retry found the note and did not post it again");
        var status = await Eventually.GetAsync(async () => (await SuggestionAsync(host, "zendesk", 9203))["status"]!.GetValue<string>(), s => s == "Written", because: "the write-back done");
        Assert.That(status, Is.EqualTo("Written"));
    }

    [Test]
    public async Task Zendesk_RetryAfterTheRouteWasSet_DoesNotSetItAgain_TheAgentsChangeStands()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk().InLiveMode());
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        var ticket = zendesk.AddTicket(9204, "Refund timing", Refund);
        await SendZendeskAsync(host, "evt-route-4", 9204);
        await Eventually.GetAsync(async () => (await SuggestionAsync(host, "zendesk", 9204))["status"]!.GetValue<string>(), s => s == "Written", because: "the write-back done");
        var id = (await SuggestionAsync(host, "zendesk", 9204))["id"]!.GetValue<string>();

        // A crash after the route went through but before the status was saved: the write-back runs again. Meanwhile an agent moved the ticket.
        await using (var connection = await host.Service<HelpdeskSidecar.Storage.Database>().OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("UPDATE suggestions SET status = 'PendingWrite' WHERE id = @id", new { id });
        ticket.GroupId = 17;
        var result = await host.Service<SuggestionWriteBack>().WriteAsync(id, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(WriteBackOutcome.AlreadyWritten));
        Assert.That(zendesk.RoutePuts(9204), Has.Count.EqualTo(1), "the route is set once per suggestion");
        Assert.That(ticket.GroupId, Is.EqualTo(17), "the agent's group stands");
        Assert.That(zendesk.Puts(9204).Count - zendesk.RoutePuts(9204).Count, Is.EqualTo(1), "one note");
    }

    [Test]
    public async Task Freshdesk_Live_AutoRouteSetThroughUpdateTicket_AsTheDocsDescribeIt()
    {
        const string policy = """
            version: 1
            routing:
              - name: refunds-to-billing
                mode: auto
                match:
                  keywords: [refund]
                group: "77"
                priority: urgent
                fields:
                  cf_queue: returns
            """;
        await using var scenario = await StartAsync(s => s.WithFreshdesk().InLiveMode(), policy);
        var (freshdesk, host) = (scenario.Freshdesk, scenario.Host);
        var ticket = freshdesk.AddTicket(9205, "Refund timing", Refund);

        using (var sent = await host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(9205))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        await Eventually.GetAsync(() => Task.FromResult(ticket.GroupId), g => g == 77, because: "the automatic route");
        Assert.That((ticket.Priority, ticket.Fields["cf_queue"]), Is.EqualTo((4, "returns")));
        Assert.That(freshdesk.Notes(9205), Has.Count.EqualTo(1));
        var put = freshdesk.RoutePuts(9205).Single();
        if (FreshdeskApiDocs.FindPath() is { } docs)
            Assert.That(FreshdeskApiDocs.Load(docs).ValidateUpdateTicket(put.Method, put.PathAndQuery, put.Body), Is.Empty);
    }

    [Test]
    public async Task RuleMode_OpsLeadSwitchesSuggestToAuto_Audited_NextTicketRoutedAutomatically_BadInputIsAProblem()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk().InLiveMode());
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);

        using (var put = await host.Client.PutAsJsonAsync("/api/routing/rules/refunds-flag", new { mode = "auto" }))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var view = await host.Client.GetFromJsonAsync<JsonObject>("/api/routing");
        var flag = view!["rules"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "refunds-flag")!;
        Assert.That((flag["mode"]!.GetValue<string>(), flag["file_mode"]!.GetValue<string>(), flag["mode_set_by"]!.GetValue<string>()), Is.EqualTo(("auto", "suggest", "override")));
        var audit = (await host.Client.GetFromJsonAsync<JsonObject>("/api/routing/audit"))!["items"]!.AsArray().Single()!;
        Assert.That((audit["who"]!.GetValue<string>(), audit["rule"]!.GetValue<string>(), audit["before"]!.GetValue<string>(), audit["after"]!.GetValue<string>()),
            Is.EqualTo(("test-admin", "refunds-flag", "suggest", "auto")));
        using (var again = await host.Client.PutAsJsonAsync("/api/routing/rules/refunds-flag", new { mode = "auto" }))
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await host.Client.GetFromJsonAsync<JsonObject>("/api/routing/audit"))!["items"]!.AsArray(), Has.Count.EqualTo(1), "no change, no entry");

        var ticket = zendesk.AddTicket(9206, "Refund timing", Refund);
        await SendZendeskAsync(host, "evt-route-6", 9206);
        await Eventually.GetAsync(() => Task.FromResult(ticket.Fields.GetValueOrDefault("360006")), v => v == "check-card", because: "the switched rule applied");

        foreach (var (path, body, status, words) in new[]
        {
            ("/api/routing/rules/refunds-flag", """{"mode": "sometimes"}""", HttpStatusCode.BadRequest, "'mode'"),
            ("/api/routing/rules/no-such-rule", """{"mode": "auto"}""", HttpStatusCode.NotFound, "no-such-rule"),
            ("/api/routing/rules/refunds-flag", "not json", HttpStatusCode.BadRequest, ""),
        })
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await host.Client.PutAsync(path, content);
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(words));
        }
    }
}
