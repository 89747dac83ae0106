using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// Issue 13: on the sample knowledge base and history, an off-topic ticket (a press enquiry, which used to get a draft
/// about parcels signed for by a neighbour) becomes a knowledge gap, while an answerable one keeps its draft, led by the
/// source its intent names; both notes and traces show the confidence and what it stands on.
/// </summary>
public class OffTopicGapTests
{
    [Test]
    public async Task PressEnquiry_BecomesAGap_WhileCancellingKeepsItsDraft()
    {
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .InLiveMode()
            .WithKnowledge(Samples.PathOf("knowledge"))
            .WithHistory(HistoryStore.ReadCsv(Samples.PathOf(Path.Combine("history", "past-tickets.csv"))), "samples")
            .StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);

        zendesk.AddTicket(7301, "Press enquiry: electric van fleet",
            "Hello, I'm a reporter writing about delivery companies switching to electric vans. Could someone from Parcelly give me numbers on your EV fleet and a short quote for an article publishing next week?");
        zendesk.AddTicket(7302, "How do I cancel? Signed up on my iPhone",
            "I want to cancel my Parcelly Plus membership but I can't find a cancel button anywhere in the app. I signed up through my iPhone if that matters.");
        foreach (var id in new[] { 7301, 7302 })
        {
            using var sent = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent($"evt-offtopic-{id}", id)));
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var gapNote = await NoteAsync(zendesk, 7301);
        Assert.That(gapNote, Does.Contain("no confident answer").And.Not.Contain("--- Draft ---"));
        Assert.That(gapNote, Does.Match(@"Evidence: confidence 0\.\d\d < 0\.47: retrieval 0\.\d\d, coverage 0\.\d\d, agreement with the intent 0\.\d\d"));
        var draftNote = await NoteAsync(zendesk, 7302);
        Assert.That(draftNote, Does.Contain("--- Draft ---").And.Contain("[1] Cancel your Parcelly subscription"));
        Assert.That(draftNote, Does.Match(@"Evidence: confidence 0\.\d\d: retrieval"));

        var gap = await TraceAsync(host, "7301");
        Assert.That(gap["kind"]!.GetValue<string>(), Is.EqualTo("KnowledgeGap"));
        Assert.That(gap["trace"]!["confidence"]!.GetValue<double>(), Is.LessThan(0.47));
        var draft = await TraceAsync(host, "7302");
        Assert.That(draft["kind"]!.GetValue<string>(), Is.EqualTo("Draft"));
        var evidence = draft["trace"]!["evidence"]!;
        Assert.That(draft["trace"]!["confidence"]!.GetValue<double>(), Is.EqualTo(evidence["confidence"]!.GetValue<double>()).And.LessThan(1.0));
        Assert.That(evidence["agreement"]!.GetValue<double>(), Is.GreaterThan(0.8));
        Assert.That(draft["trace"]!["understanding"]!["intent"]!["confidence"]!.GetValue<double>(), Is.GreaterThan(0.5),
            "the calibrated intent probability, not 1/25");
    }

    private static async Task<string> NoteAsync(FakeZendesk zendesk, int ticket)
    {
        var puts = await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(ticket)), p => p.Count >= 1, because: $"the note on ticket {ticket}");
        return JsonNode.Parse(puts[0].Body!)!["ticket"]!["comment"]!["body"]!.GetValue<string>();
    }

    private static async Task<JsonNode> TraceAsync(SidecarTestHost host, string ticket)
    {
        var list = await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions?ticket={ticket}");
        var id = list!["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
        return (await host.Client.GetFromJsonAsync<JsonObject>($"/api/suggestions/{id}"))!;
    }
}
