using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>The approval loop on a loopback Freshdesk: auto-tags keep the ticket's own tags; an outgoing reply is judged.</summary>
public class FreshdeskApprovalTests
{
    private SidecarScenario _scenario = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create()
            .WithFreshdesk()
            .InLiveMode()
            .WithArticle("refunds.md", """
                # How refunds work

                ## When the money arrives
                Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.
                """)
            .WithHistory(IntentClassifierTests.History())
            .StartAsync();
        (_freshdesk, _host) = (_scenario.Freshdesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    [Test]
    public async Task AutoTag_KeepsExistingTags_ThenOutgoingReplyWithTheDraft_SentAsIs()
    {
        using (var put = await _host.Client.PutAsJsonAsync("/api/tagging/tags/refund", new { mode = "auto", threshold = 0.2 }))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ticket = _freshdesk.AddTicket(95, "Refund for my returned jacket", "I sent the jacket back. When will the refund reach my card?");
        ticket.Tags = ["vip"];

        await SendAsync(SidecarTestHost.FreshdeskEvent(95));
        await Eventually.GetAsync(() => Task.FromResult(_freshdesk.TicketPuts(95)), p => p.Count >= 1, because: "the tag update");
        Assert.That(ticket.Tags, Does.Contain("vip").And.Contain("refund"), "Freshdesk replaces tags: ours are added to the ticket's own");

        var item = await Eventually.GetAsync(() => ItemsAsync(95), i => i.Count == 1 && i[0]!["status"]!.GetValue<string>() == "Written", because: "the note");
        var draft = item[0]!["draft"]!.GetValue<string>();
        ticket.AddConversation(FakeFreshdesk.AgentId, string.Join("<br>", draft.Split('\n').Select(WebUtility.HtmlEncode)), isPrivate: false, incoming: false);
        await SendAsync(SidecarTestHost.FreshdeskEvent(95, "{ticket_action:updated}", "2026-01-01T11:00:00Z"));

        var judged = await Eventually.GetAsync(() => ItemsAsync(95), i => i[0]!["verdict"] is not null, because: "the verdict");
        Assert.That(judged[0]!["verdict"]!.GetValue<string>(), Is.EqualTo("sent_as_is"));

        // The report by agent names who answered (View an Agent), not the Freshdesk id.
        var byAgent = await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/acceptance?by=agent&format=json");
        Assert.That(byAgent!["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()), Is.EqualTo(new[] { FakeFreshdesk.AgentName }));
    }

    private async Task SendAsync(string body)
    {
        using var response = await _host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    private async Task<JsonArray> ItemsAsync(long ticketId) =>
        (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray();
}
