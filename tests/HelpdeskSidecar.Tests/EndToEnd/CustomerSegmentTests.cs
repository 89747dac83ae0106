using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// Customer segments from outside: the policy derives <c>vip</c> / <c>enterprise</c> from the helpdesk's requester and
/// organization (company) data, read through the loopback Zendesk and Freshdesk; a segment rule decides, and the
/// decision, the rule and the segments are in the suggestion's trace.
/// </summary>
public class CustomerSegmentTests
{
    private const string Policy = """
        version: 1
        segments:
          vip:
            organization_tags: [vip]
          enterprise:
            organization_fields:
              account_tier: [Premium]
        rules:
          - name: key-account
            match:
              segment: [vip, enterprise]
            escalate: "Key accounts get a personal reply from their account manager."
        """;

    /// <summary>Live, the key-account policy and a refunds article, on the helpdesk the test asks for.</summary>
    private static Task<SidecarScenario> StartAsync(Func<SidecarScenarioBuilder, SidecarScenarioBuilder> helpdesk) =>
        helpdesk(SidecarScenario.Create())
            .InLiveMode()
            .WithPolicy(Policy)
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .StartAsync();

    private static async Task<JsonNode> PolicyTraceAsync(SidecarTestHost host, long ticketId)
    {
        var items = await Eventually.GetAsync(
            async () => (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            i => i.Count == 1, because: $"the suggestion on {ticketId}");
        var detail = await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{items[0]!["id"]!.GetValue<string>()}");
        return detail!["trace"]!["policy"]!;
    }

    [Test]
    public async Task Zendesk_OrganizationTaggedVip_KeyAccountRuleEscalates_OtherOrganizationGetsTheDefault()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk());
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.Organizations[501] = new FakeCustomerProfile { Tags = { "vip", "emea" } };
        zendesk.Organizations[502] = new FakeCustomerProfile { Tags = { "smiley" }, Fields = { ["account_tier"] = "Basic" } };
        zendesk.AddTicket(7101, "Refund timing", "I returned the jacket, when will the refund reach my card?").OrganizationId = 501;
        zendesk.AddTicket(7102, "Refund timing", "I returned the shoes, when will the refund reach my card?").OrganizationId = 502;

        foreach (var (evt, id) in new[] { ("evt-seg-1", 7101L), ("evt-seg-2", 7102L) })
        {
            using var sent = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(evt, id)));
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var vip = await PolicyTraceAsync(host, 7101);
        Assert.That(vip["rule"]!.GetValue<string>(), Is.EqualTo("key-account"));
        Assert.That(vip["segments"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "vip" }));
        Assert.That(vip["matched"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "segment:vip" }));
        Assert.That(vip["escalate"]!.GetValue<bool>(), Is.True);
        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(7101)), p => p.Count >= 1, because: "the escalation note");
        Assert.That(JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>(),
            Does.Contain("Key accounts get a personal reply from their account manager."));

        var other = await PolicyTraceAsync(host, 7102);
        Assert.That(other["rule"]!.GetValue<string>(), Is.EqualTo("default"));
        Assert.That(other["segments"]!.AsArray(), Is.Empty);
        Assert.That(zendesk.CustomerReads().Select(r => r.PathAndQuery), Is.SupersetOf(new[]
        {
            $"/api/v2/users/{FakeZendesk.CustomerId}", "/api/v2/organizations/501", "/api/v2/organizations/502",
        }));
        if (Contracts.ZendeskOpenApi.FindSpecPath() is { } spec)
        {
            // Where the recorded Support API contract is beside the repository: Show User and Show Organization as it names them.
            var oas = Contracts.ZendeskOpenApi.Load(spec);
            foreach (var read in zendesk.CustomerReads())
                Assert.That(oas.ValidateRequest("GET", read.PathAndQuery, null), Is.Empty, read.PathAndQuery);
        }
    }

    [Test]
    public async Task Zendesk_NoOrganizationOnTheTicket_TheRequestersOrganizationCounts_UnknownOrganizationIsNoSegment()
    {
        await using var scenario = await StartAsync(s => s.WithZendesk());
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.Customer.OrganizationId = 601;
        zendesk.Organizations[601] = new FakeCustomerProfile { Fields = { ["account_tier"] = "Premium" } };
        zendesk.AddTicket(7201, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        zendesk.AddTicket(7202, "Refund timing", "I returned the shoes, when will the refund reach my card?").OrganizationId = 999; // 404

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-seg-3", 7201)))) { }
        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-seg-4", 7202)))) { }

        var byUser = await PolicyTraceAsync(host, 7201);
        Assert.That(byUser["segments"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "enterprise" }));
        Assert.That(byUser["rule"]!.GetValue<string>(), Is.EqualTo("key-account"));
        var unknown = await PolicyTraceAsync(host, 7202);
        Assert.That(unknown["rule"]!.GetValue<string>(), Is.EqualTo("default"), "a 404 organization puts the customer in no segment, and the run goes on");
    }

    [Test]
    public async Task Freshdesk_ContactsCompanyOnPremiumTier_IsEnterprise_KeyAccountRuleEscalates()
    {
        await using var scenario = await StartAsync(s => s.WithFreshdesk());
        var (freshdesk, host) = (scenario.Freshdesk, scenario.Host);
        freshdesk.Customer.OrganizationId = 88;
        freshdesk.Companies[88] = new FakeCustomerProfile { AccountTier = "Premium" };
        freshdesk.Companies[89] = new FakeCustomerProfile { AccountTier = "Basic" };
        freshdesk.AddTicket(7301, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        freshdesk.AddTicket(7302, "Refund timing", "I returned the shoes, when will the refund reach my card?").CompanyId = 89;

        foreach (var id in new[] { 7301L, 7302L })
        {
            using var sent = await host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(id)));
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var premium = await PolicyTraceAsync(host, 7301);
        Assert.That(premium["rule"]!.GetValue<string>(), Is.EqualTo("key-account"));
        Assert.That(premium["segments"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "enterprise" }));
        var notes = await Eventually.GetAsync(() => Task.FromResult(freshdesk.Notes(7301)), n => n.Count >= 1, because: "the escalation note");
        Assert.That(notes[0].BodyText, Does.Contain("Key accounts get a personal reply from their account manager."));

        var basic = await PolicyTraceAsync(host, 7302);
        Assert.That(basic["rule"]!.GetValue<string>(), Is.EqualTo("default"), "the ticket's own company (Basic) counts before the contact's");
        Assert.That(freshdesk.CustomerReads().Select(r => r.PathAndQuery), Is.SupersetOf(new[]
        {
            $"/api/v2/contacts/{FakeFreshdesk.CustomerId}", "/api/v2/companies/88", "/api/v2/companies/89",
        }));
    }
}
