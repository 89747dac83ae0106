using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.History;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Copilot.History;

/// <summary>
/// Verified resolution on each storage provider, with a clock the test moves: a drafted ticket solved and then reopened,
/// or followed by a new ticket of the same requester on the same theme, within the window (7 days) is not verified;
/// at the window's end it is; before, it is pending. Then the report over HTTP and on the command line.
/// </summary>
[NonParallelizable] // the CLI part redirects Console
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ResolutionTrackerTests(string provider)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero); // Monday, ISO week 2026-W10
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    private SidecarTestHost _host = null!;
    private ManualTimeProvider _clock = null!;
    private string[] _storage = [];

    private ResolutionTracker Tracker => _host.Service<ResolutionTracker>();
    private TicketOutcomeStore Store => _host.Service<TicketOutcomeStore>();
    private DateTimeOffset Now => _clock.GetUtcNow();

    [SetUp]
    public async Task StartAsync()
    {
        _storage = await StorageProviders.SettingsAsync(provider);
        _clock = new ManualTimeProvider(Start);
        _host = await SidecarTestHost.StartAsync(["Sidecar:Mode=Shadow", .. _storage], b => b.Services.AddSingleton<TimeProvider>(_clock));
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private static HelpdeskTicket Ticket(string id, string status = "open", string requester = "c-1") =>
        new("zendesk", id, "subject", "text", status, [], "brand-1", "email", requester, "Casey", "en", []);

    /// <summary>A draft on the ticket (stored through the real store) and the run the pipeline records after it.</summary>
    private async Task<string> DraftedAsync(string ticketId, string intent, string question, string requester = "c-1", string? verdict = null, string? agent = null)
    {
        var id = Guid.CreateVersion7(Now).ToString("N");
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = ticketId, TriggerKey = "c1", CreatedAt = Now, Kind = SuggestionKind.Draft,
            Mode = "Shadow", Draft = "Refunds take 5 days.", Note = "note", Status = SuggestionStatus.Shadow, BrandId = "brand-1",
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1),
                Understanding = new TicketUnderstanding { Redactor = "test", Intent = new LabelScore(intent, 0.9) },
            },
        }, CancellationToken.None);
        if (verdict is not null)
            await _host.Service<HelpdeskSidecar.Suggestions.Acceptance.IVerdictWriter>().RecordIfOpenAsync(id, new HelpdeskSidecar.Suggestions.Acceptance.VerdictRecord(verdict, 0.9, "reply", ReplyAuthorId: agent), CancellationToken.None);
        await Tracker.RecordRunAsync(Ticket(ticketId, requester: requester), intent, question, id, CancellationToken.None);
        return id;
    }

    private Task SeeAsync(string ticketId, string status, string requester = "c-1") => Tracker.ObserveStatusAsync(Ticket(ticketId, status, requester), CancellationToken.None);

    private async Task<string> OutcomeAsync(string ticketId) => (await Store.GetAsync("zendesk", ticketId, CancellationToken.None))!.OutcomeAt(Now, Window);

    [Test]
    public async Task Reopen_OneSecondBeforeTheWindowEnds_NotVerified_AtTheWindowsEnd_Verified()
    {
        await DraftedAsync("101", "refund", "Where is my refund?");
        await DraftedAsync("102", "refund", "Where is my refund?", requester: "c-2");
        await SeeAsync("101", "solved");
        await SeeAsync("102", "solved", "c-2");
        Assert.That(await OutcomeAsync("101"), Is.EqualTo("pending"));

        _clock.Advance(Window - TimeSpan.FromSeconds(1));
        await SeeAsync("101", "open");
        Assert.That(await OutcomeAsync("101"), Is.EqualTo("reopened"));
        Assert.That(await OutcomeAsync("102"), Is.EqualTo("pending"), "one second left");

        _clock.Advance(TimeSpan.FromSeconds(1));
        await SeeAsync("102", "open", "c-2");
        Assert.That(await OutcomeAsync("102"), Is.EqualTo("verified"), "reopened at the window's end: the solve had held for the whole window");
        Assert.That(await OutcomeAsync("101"), Is.EqualTo("reopened"), "a reopen stays on the record");
    }

    [Test]
    public async Task SolvedThenClosed_KeepsTheFirstSolve_OpenBeforeAnySolve_IsNoReopen()
    {
        await DraftedAsync("201", "refund", "Where is my refund?");
        await SeeAsync("201", "open");
        Assert.That(await OutcomeAsync("201"), Is.EqualTo("open"), "not solved yet");
        await SeeAsync("201", "solved");
        _clock.Advance(TimeSpan.FromDays(3));
        await SeeAsync("201", "closed");
        _clock.Advance(TimeSpan.FromDays(4));
        Assert.That(await OutcomeAsync("201"), Is.EqualTo("verified"), "the window counts from the solve, not the close");
    }

    [Test]
    public async Task UndraftedTicket_IsNotTracked()
    {
        await Tracker.RecordRunAsync(Ticket("301"), "refund", "Where is my refund?", draftSuggestionId: null, CancellationToken.None);
        await SeeAsync("301", "solved");
        var row = await Store.GetAsync("zendesk", "301", CancellationToken.None);
        Assert.That(row!.SolvedAt, Is.Null, "an escalation or a gap had no draft to verify");
        Assert.That(row.Intent, Is.EqualTo("refund"), "but the ticket is remembered for the customer's history");
    }

    [Test]
    public async Task NewTicketSameIntent_WithinTheWindow_Recontacted_OtherRequesterOrAfterTheWindow_Not()
    {
        await DraftedAsync("401", "refund", "Where is my refund for the jacket?");
        await DraftedAsync("402", "refund", "Where is my refund for the shoes?", requester: "c-9");
        await DraftedAsync("403", "refund", "Where is my refund for the hat?", requester: "c-3");
        await SeeAsync("401", "solved");
        await SeeAsync("402", "solved", "c-9");
        await SeeAsync("403", "solved", "c-3");

        _clock.Advance(TimeSpan.FromDays(2));
        await Tracker.RecordRunAsync(Ticket("410"), "refund", "The refund still has not arrived.", null, CancellationToken.None);
        var recontacted = await Store.GetAsync("zendesk", "401", CancellationToken.None);
        Assert.That(recontacted!.OutcomeAt(Now, Window), Is.EqualTo("recontacted"));
        Assert.That(recontacted.RecontactTicketId, Is.EqualTo("410"));
        Assert.That(await OutcomeAsync("402"), Is.EqualTo("pending"), "another requester's new ticket says nothing of c-9's");

        _clock.Advance(TimeSpan.FromDays(5)); // exactly the window after 403's solve
        await Tracker.RecordRunAsync(Ticket("411", requester: "c-3"), "refund", "Refund again?", null, CancellationToken.None);
        Assert.That(await OutcomeAsync("403"), Is.EqualTo("verified"), "a new ticket after the window is a new matter");
    }

    [Test]
    public async Task NewTicketOtherIntent_SimilarQuestionRecontacts_DifferentThemeDoesNot()
    {
        await DraftedAsync("501", "refund", "My refund for the returned jacket has not reached my card");
        await DraftedAsync("502", "login", "I cannot log in to my account", requester: "c-5");
        await SeeAsync("501", "solved");
        await SeeAsync("502", "solved", "c-5");
        _clock.Advance(TimeSpan.FromDays(1));

        await Tracker.RecordRunAsync(Ticket("510"), "billing", "The refund for the returned jacket has still not reached my card", null, CancellationToken.None);
        await Tracker.RecordRunAsync(Ticket("511", requester: "c-5"), "shipping", "Where is my parcel? It is late.", null, CancellationToken.None);

        Assert.That(await OutcomeAsync("501"), Is.EqualTo("recontacted"), "another intent, but the same question in other words");
        Assert.That(await OutcomeAsync("502"), Is.EqualTo("pending"), "another theme altogether");
    }

    [Test]
    public async Task TicketSeenBeforeTheSolve_IsNoRecontact()
    {
        await Tracker.RecordRunAsync(Ticket("601"), "refund", "Refund for the hat?", null, CancellationToken.None); // already open
        _clock.Advance(TimeSpan.FromHours(1));
        await DraftedAsync("602", "refund", "Refund for the jacket?");
        await SeeAsync("602", "solved");
        _clock.Advance(TimeSpan.FromHours(1));
        await Tracker.RecordRunAsync(Ticket("601"), "refund", "Any news on the hat refund?", null, CancellationToken.None);
        Assert.That(await OutcomeAsync("602"), Is.EqualTo("pending"), "601 was open alongside 602, not a return after it was solved");
    }

    [Test]
    public async Task Report_ByIntent_VerifiedNextToAcceptance_PendingNotCounted_JsonCsvAndCli()
    {
        await DraftedAsync("701", "refund", "Refund for the jacket?", requester: "r1", verdict: "sent_as_is", agent: "a1");
        await DraftedAsync("702", "refund", "Refund for the shoes?", requester: "r2", verdict: "sent_as_is", agent: "a1");
        await DraftedAsync("703", "refund", "Refund for the hat?", requester: "r3", verdict: "edited", agent: "a2");
        await DraftedAsync("704", "login", "Cannot log in", requester: "r4", verdict: "rejected", agent: "a2");
        foreach (var (t, r) in new[] { ("701", "r1"), ("702", "r2"), ("703", "r3") })
            await SeeAsync(t, "solved", r);
        _clock.Advance(TimeSpan.FromDays(2));
        await SeeAsync("702", "open", "r2"); // reopened
        _clock.Advance(TimeSpan.FromDays(5)); // 701 and 703 verified now
        await DraftedAsync("705", "refund", "Refund for the scarf?", requester: "r5", verdict: "sent_as_is", agent: "a1");
        await SeeAsync("705", "solved", "r5"); // pending

        var report = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/resolution?by=intent"))!;
        var refund = report["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == "refund")!;
        Assert.That((refund["tickets"]!.GetValue<int>(), refund["verified"]!.GetValue<int>(), refund["reopened"]!.GetValue<int>(), refund["pending"]!.GetValue<int>()),
            Is.EqualTo((4, 2, 1, 1)));
        Assert.That(refund["verified_resolution_rate"]!.GetValue<double>(), Is.EqualTo(0.6667), "2 verified of 3 decided; the pending one is not counted");
        Assert.That(refund["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(1.0), "every refund draft was accepted, yet one came back");
        Assert.That(refund["accepted_verified_rate"]!.GetValue<double>(), Is.EqualTo(0.6667));
        var login = report["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == "login")!;
        Assert.That((login["open"]!.GetValue<int>(), login["verified_resolution_rate"]), Is.EqualTo((1, (JsonNode?)null)));
        Assert.That(report["window_days"]!.GetValue<double>(), Is.EqualTo(7));

        using var csv = await _host.Client.GetAsync("/api/reports/resolution?format=csv&by=agent");
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo(string.Join(",", HelpdeskSidecar.Reports.Resolution.ResolutionReport.Columns)));
        Assert.That(lines, Does.Contain("a1,3,3,1,1,0,1,0,0.5,1,3,0.5"));

        using var week = await _host.Client.GetAsync("/api/reports/resolution?by=week&from=2026-03-02&to=2026-03-08");
        var weeks = JsonNode.Parse(await week.Content.ReadAsStringAsync())!["groups"]!.AsArray();
        Assert.That(weeks.Select(w => (w!["key"]!.GetValue<string>(), w["tickets"]!.GetValue<int>())), Is.EqualTo(new[] { ("2026-W10", 4) }), "705 was drafted the week after");

        using var bad = await _host.Client.GetAsync("/api/reports/resolution?by=tag");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("'by'"));

        // The CLI reads the same store with its own (real) clock, months later: the pending ticket's window has closed.
        string[] data = [$"--Sidecar:DataDir={_host.DataDir}", .. _storage.Select(s => "--" + s)];
        var cli = await CliRunner.RunAsync(["report", "resolution", "--format", "json", .. data]);
        Assert.That(cli.Code, Is.EqualTo(0), cli.Error);
        var total = JsonNode.Parse(cli.Out)!["total"]!;
        Assert.That((total["tickets"]!.GetValue<int>(), total["verified"]!.GetValue<int>(), total["reopened"]!.GetValue<int>(), total["pending"]!.GetValue<int>()), Is.EqualTo((5, 3, 1, 0)));
        var table = await CliRunner.RunAsync(["report", "resolution", "--by", "brand", .. data]);
        Assert.That(table.Code, Is.EqualTo(0), table.Error);
        Assert.That(table.Out, Does.Contain("verified_resolution_rate"));
        foreach (var args in new[] { new[] { "--by", "tag" }, ["--from", "2026-02-30"], ["--format", "xml"] })
        {
            var refused = await CliRunner.RunAsync(["report", "resolution", .. args, .. data]);
            Assert.That(refused.Code, Is.EqualTo(2), string.Join(" ", args));
            Assert.That(refused.Error.Trim(), Does.StartWith("error: " + args[0]).And.Not.Contain("\n"));
        }
    }
}
