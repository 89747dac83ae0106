using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.History;

/// <summary>
/// The customer's history from outside: the requester's recent tickets read through the loopback Zendesk and Freshdesk,
/// listed (redacted) in the internal note, given to the policy as counts a segment can test and to the model as a
/// prompt section, recorded in the trace; a helpdesk that cannot list them costs the run its history, not the run.
/// The fake tickets' messages are dated 2026-01-01, so "recent" and "this week" count back from there.
/// </summary>
public class CustomerHistoryTests
{
    private static readonly DateTimeOffset Messages = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Refunds = "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.";

    private static async Task<JsonObject> DetailAsync(SidecarTestHost host, long ticketId)
    {
        var items = await Eventually.GetAsync(
            async () => (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticketId}"))!["items"]!.AsArray(),
            i => i.Count == 1, because: $"the suggestion on {ticketId}");
        return (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{items[0]!["id"]!.GetValue<string>()}"))!;
    }

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(s => s!.GetValue<string>());

    [Test]
    public async Task Zendesk_RecentTickets_OfflineNoteListsThemRedacted_TraceShowsWhatWasUsed()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().WithArticle("refunds.md", Refunds).StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.RequestedTickets[8801] = new(8801, "Refund for jane.doe@example.com never came", "solved", Messages.AddDays(-12));
        zendesk.RequestedTickets[8802] = new(8802, "Parcel stuck in Porto", "open", Messages.AddDays(-2));
        zendesk.RequestedTickets[8803] = new(8803, "An old question", "closed", Messages.AddDays(-45)); // outside the 30 days
        zendesk.RequestedTickets[7401] = new(7401, "Refund timing", "new", Messages); // the current ticket itself
        zendesk.AddTicket(7401, "Refund timing", "I returned the jacket, when will the refund reach my card?");

        using (var sent = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-hist-1", 7401))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(7401)), p => p.Count >= 1, because: "the note");
        var note = JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
        Assert.That(note, Does.Contain("Customer's recent tickets (2; with this one, 2 open this week):"));
        Assert.That(note, Does.Contain("- #8802 2025-12-30, open: Parcel stuck in Porto"));
        Assert.That(note, Does.Contain("- #8801 2025-12-20, solved: Refund for [EMAIL_1] never came"));
        Assert.That(note, Does.Not.Contain("jane.doe@example.com"), "subjects are redacted");
        Assert.That(note, Does.Not.Contain("#8803").And.Not.Contain("#7401"), "outside the window, and the ticket itself");
        Assert.That(note.TrimEnd(), Does.EndWith("]"), "the marker stays the note's last line");
        Assert.That(note.IndexOf("#8802", StringComparison.Ordinal), Is.LessThan(note.IndexOf("#8801", StringComparison.Ordinal)), "newest first");

        var history = (await DetailAsync(host, 7401))["trace"]!["history"]!;
        Assert.That(history["tickets"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "8802", "8801" }));
        Assert.That(history["tickets"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "open", "solved" }));
        Assert.That(Strings(history["used_by"]), Is.EqualTo(new[] { "policy", "note" }), "no model: the prompt had no part");
        Assert.That(history["counts"]!["open_tickets_this_week"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(history["counts"]!["recent_tickets"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(history["failed"]!.GetValue<bool>(), Is.False);
        Assert.That(history.ToJsonString(), Does.Not.Contain("Parcel").And.Not.Contain("jane.doe"), "the trace keeps ids and statuses, never subjects");

        var read = zendesk.HistoryReads().Single();
        if (ZendeskOpenApi.FindSpecPath() is { } spec)
            Assert.That(ZendeskOpenApi.Load(spec).ValidateRequest("GET", read.PathAndQuery, null), Is.Empty, read.PathAndQuery);
    }

    [Test]
    public async Task Freshdesk_ThirdOpenTicketThisWeek_HistorySegmentRuleEscalates_SecondDoesNot()
    {
        await using var scenario = await SidecarScenario.Create().WithFreshdesk().InLiveMode().WithArticle("refunds.md", Refunds)
            .WithPolicy("""
                version: 1
                segments:
                  frequent-contact:
                    history: ["open_tickets_this_week >= 3"]
                rules:
                  - name: repeat-contact
                    match:
                      segment: [frequent-contact]
                    escalate: "Third open ticket this week: call the customer back."
                """)
            .StartAsync();
        var (freshdesk, host) = (scenario.Freshdesk, scenario.Host);
        freshdesk.RequestedTickets[9101] = new(9101, "Parcel late", "open", Messages.AddDays(-3));
        freshdesk.RequestedTickets[9102] = new(9102, "Old refund", "solved", Messages.AddDays(-4)); // this week, but solved
        freshdesk.AddTicket(7501, "Refund timing", "I returned the jacket.", "When will the refund reach my card?");

        using (var sent = await host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(7501))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var second = (await DetailAsync(host, 7501))["trace"]!["policy"]!;
        Assert.That(second["rule"]!.GetValue<string>(), Is.EqualTo("default"), "two open tickets this week (with this one)");
        Assert.That(second["segments"]!.AsArray(), Is.Empty);

        freshdesk.RequestedTickets[9103] = new(9103, "Where is my parcel?", "pending", Messages.AddDays(-1));
        freshdesk.AddTicket(7502, "Refund timing again", "I returned the shoes.", "When will the refund reach my card?");
        using (var sent = await host.Client.SendAsync(SidecarTestHost.FreshdeskWebhook(SidecarTestHost.FreshdeskEvent(7502))))
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var third = (await DetailAsync(host, 7502))["trace"]!;
        Assert.That(third["policy"]!["rule"]!.GetValue<string>(), Is.EqualTo("repeat-contact"));
        Assert.That(Strings(third["policy"]!["segments"]), Is.EqualTo(new[] { "frequent-contact" }));
        Assert.That(Strings(third["policy"]!["matched"]), Is.EqualTo(new[] { "segment:frequent-contact" }));
        Assert.That(third["history"]!["counts"]!["open_tickets_this_week"]!.GetValue<int>(), Is.EqualTo(3));
        var notes = await Eventually.GetAsync(() => Task.FromResult(freshdesk.Notes(7502)), n => n.Count >= 1, because: "the escalation note");
        Assert.That(notes[0].BodyText, Does.Contain("Third open ticket this week: call the customer back."));
        Assert.That(notes[0].BodyText, Does.Contain("#9103").And.Contain("#9101").And.Contain("#9102"), "the escalation note lists the history too");

        if (FreshdeskTicketListContract.FindDocsPath() is { } docs)
        {
            var contract = FreshdeskTicketListContract.Load(docs);
            foreach (var read in freshdesk.HistoryReads())
                Assert.That(contract.ValidateRequest("GET", read.PathAndQuery), Is.Empty, read.PathAndQuery);
        }
    }

    [Test]
    public async Task Zendesk_HistoryCannotBeRead_RunGoesOnWithoutIt_TraceAndLogSaySo()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().WithArticle("refunds.md", Refunds).StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.RequestedTicketsFailure = 403;
        zendesk.RequestedTickets[8901] = new(8901, "Parcel stuck", "open", Messages.AddDays(-2));
        zendesk.AddTicket(7601, "Refund timing", "I returned the jacket, when will the refund reach my card?");

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-hist-fail", 7601)))) { }

        var detail = await DetailAsync(host, 7601);
        Assert.That(detail["kind"]!.GetValue<string>(), Is.EqualTo("Draft"), "the run went on");
        var history = detail["trace"]!["history"]!;
        Assert.That(history["failed"]!.GetValue<bool>(), Is.True);
        Assert.That(history["skipped"]!.GetValue<string>(), Does.Contain("could not list"));
        Assert.That(history["tickets"]!.AsArray(), Is.Empty);
        Assert.That(history["used_by"]!.AsArray(), Is.Empty);
        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(7601)), p => p.Count >= 1, because: "the note");
        Assert.That(puts[0].Body, Does.Not.Contain("recent tickets"));
        Assert.That(zendesk.HistoryReads(), Is.Not.Empty, "it was asked");
    }

    [Test]
    public async Task Model_GetsTheHistoryAsAContextSection_RedactedAndVersioned()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode()
            .WithOpenAi(openAi =>
            {
                openAi.OnChat(FakeOpenAi.LabelsSchema, ChatBehaviour.Json(new { intent = (string?)null, tags = Array.Empty<string>(), sentiment = "neutral", urgency = "low", confidence = 0.8 }));
                openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Your refund reaches your card within 5 to 10 business days. [1]", [1]));
            })
            .With("Sidecar:Llm:ApiKey=sk-e2e")
            .WithArticle("refunds.md", Refunds)
            .StartAsync();
        var (zendesk, host, openAi) = (scenario.Zendesk, scenario.Host, scenario.OpenAi);
        zendesk.RequestedTickets[8701] = new(8701, "Refund to card 4111 1111 1111 1111 missing", "solved", Messages.AddDays(-6));
        zendesk.AddTicket(7701, "Refund timing", "I returned the jacket, when will the refund reach my card?");

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-hist-llm", 7701)))) { }

        var detail = await DetailAsync(host, 7701);
        var user = (string)openAi.ChatRequests(FakeOpenAi.DraftSchema).Single()["messages"]![1]!["content"]!;
        Assert.That(user, Does.Contain("<customer_history>").And.Contain("</customer_history>"));
        Assert.That(user, Does.Contain("- #8701 2025-12-26, solved: Refund to card [CARD_1] missing"));
        Assert.That(user, Does.Not.Contain("4111 1111"), "no raw card number reaches the model");
        Assert.That(user.IndexOf("</ticket>", StringComparison.Ordinal), Is.LessThan(user.IndexOf("<customer_history>", StringComparison.Ordinal)));
        Assert.That(Strings(detail["trace"]!["history"]!["used_by"]), Is.EqualTo(new[] { "prompt", "policy", "note" }));
        Assert.That(detail["trace"]!["model"]!["prompt_version"]!.GetValue<string>(), Does.Contain("draft-v2+history-v1"));
    }
}
