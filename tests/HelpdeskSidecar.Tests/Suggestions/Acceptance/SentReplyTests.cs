using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions.Acceptance;

/// <summary>Acceptance tracking keeps the reply the agent sent, redacted, for the console's diff; on each storage provider.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class SentReplyTests(string provider)
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    [Test]
    public async Task Track_AgentRepliedWithNameEmailAndPhone_ReplyStoredWithPlaceholders_AndTheVerdictFromIt()
    {
        var at = new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = "s-reply", Provider = "zendesk", TicketId = "42", TriggerKey = "c1", CreatedAt = at, Kind = SuggestionKind.Draft, Mode = "Shadow",
            Draft = "Refunds reach your card within 5 business days of the return arriving.", Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        const string reply = "Hi Ana Lopez,\nRefunds reach your card within 5 business days. Write to ana@example.com or call +44 7700 900123.";
        var ticket = new HelpdeskTicket("zendesk", "42", "Refund", "Where is my refund?", "open", [], null, "email", "u1", "Ana Lopez", "en",
        [
            new HelpdeskComment("c1", "u1", AuthorRole.EndUser, true, "Where is my refund?", at),
            new HelpdeskComment("c2", "agent-7", AuthorRole.Agent, true, reply, at.AddHours(1)),
        ]);

        var recorded = await _host.Service<AcceptanceTracker>().TrackAsync(ticket, CancellationToken.None);

        var stored = (await _host.Service<SuggestionStore>().GetAsync("s-reply", CancellationToken.None))!;
        Assert.That(recorded, Is.EqualTo(1));
        Assert.That(stored.Reply, Does.Contain("Refunds reach your card within 5 business days."));
        Assert.That(stored.Reply, Does.Not.Contain("ana@example.com").And.Not.Contain("7700").And.Not.Contain("Ana Lopez"));
        Assert.That(stored.Reply, Does.Contain("[EMAIL_1]").And.Contain("[PHONE_1]"));
        Assert.That((stored.VerdictSource, stored.Similarity.HasValue), Is.EqualTo(((string?)Verdicts.FromReply, true)));
    }

    [Test]
    public async Task Feedback_AfterTheReplyWasRead_KeepsTheReply()
    {
        var at = new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = "s-keep", Provider = "zendesk", TicketId = "43", TriggerKey = "c1", CreatedAt = at, Kind = SuggestionKind.Draft, Mode = "Shadow",
            Draft = "Refunds take 5 days.", Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        var writer = _host.Service<IVerdictWriter>();
        await writer.RecordIfOpenAsync("s-keep", new VerdictRecord(Verdicts.SentAsIs, 0.97, Verdicts.FromReply, Reply: "Refunds take 5 days."), CancellationToken.None);

        using var response = await _host.Client.PostAsJsonAsync("/api/suggestions/s-keep/feedback", new { verdict = "edited" });

        var stored = (await _host.Service<SuggestionStore>().GetAsync("s-keep", CancellationToken.None))!;
        Assert.That((stored.Verdict, stored.Reply, stored.Similarity), Is.EqualTo(((string?)"edited", (string?)"Refunds take 5 days.", (double?)0.97)));
        Assert.That((string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verdict"], Is.EqualTo("edited"));
    }
}
