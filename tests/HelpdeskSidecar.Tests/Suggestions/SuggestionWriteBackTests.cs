using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions;

/// <summary>At most one note per suggestion, whatever happens between the helpdesk and us.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class SuggestionWriteBackTests(string provider)
{
    private FakeZendesk _zendesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _zendesk = await FakeZendesk.StartAsync();
        // Shadow mode: the pipeline stores suggestions, and these tests drive the write-back themselves.
        _host = await SidecarTestHost.StartAsync([$"Sidecar:Zendesk:BaseUrl={_zendesk.BaseUrl}", "Sidecar:Zendesk:OAuthToken=x", .. await StorageProviders.SettingsAsync(provider)]);
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_host is not null)
            await _host.DisposeAsync();
        if (_zendesk is not null)
            await _zendesk.DisposeAsync();
    }

    private async Task<Suggestion> StoreSuggestionAsync(long ticketId)
    {
        var store = _host.Service<SuggestionStore>();
        var (suggestion, _) = await store.InsertAsync(new Suggestion
        {
            Id = $"s{ticketId}",
            Provider = "zendesk",
            TicketId = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TriggerKey = "c1",
            CreatedAt = TimeProvider.System.GetUtcNow(),
            Kind = SuggestionKind.Draft,
            Mode = "Live",
            Draft = "draft",
            Note = $"The note.\n{NoteMarker.For($"s{ticketId}")}",
            Status = SuggestionStatus.PendingWrite,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(0, 0, 0, 0) },
        }, CancellationToken.None);
        return suggestion;
    }

    [Test]
    public async Task Write_Twice_PostsOnceAndMarksWritten()
    {
        _zendesk.AddTicket(21, "s", "m");
        var suggestion = await StoreSuggestionAsync(21);
        var writeBack = _host.Service<SuggestionWriteBack>();

        var first = await writeBack.WriteAsync(suggestion.Id, CancellationToken.None);
        var second = await writeBack.WriteAsync(suggestion.Id, CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(WriteBackOutcome.Written));
        Assert.That(second.Outcome, Is.EqualTo(WriteBackOutcome.AlreadyWritten));
        Assert.That(_zendesk.Puts(21), Has.Count.EqualTo(1));
        var stored = await _host.Service<SuggestionStore>().GetAsync(suggestion.Id, CancellationToken.None);
        Assert.That(stored!.Status, Is.EqualTo(SuggestionStatus.Written));
        Assert.That(stored.WrittenAt, Is.Not.Null);
    }

    [Test]
    public async Task Write_NoteAlreadyOnTicketButNotRecorded_DoesNotPostAgain()
    {
        // A previous attempt wrote the note, then lost the response before it could be recorded.
        var ticket = _zendesk.AddTicket(22, "s", "m");
        var suggestion = await StoreSuggestionAsync(22);
        await _host.Service<SuggestionStore>().BeginWriteAttemptAsync(suggestion.Id, CancellationToken.None);
        ticket.AddComment(FakeZendesk.AgentId, suggestion.Note, isPublic: false);

        var result = await _host.Service<SuggestionWriteBack>().WriteAsync(suggestion.Id, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(WriteBackOutcome.AlreadyWritten));
        Assert.That(_zendesk.Puts(22), Is.Empty);
    }

    [Test]
    public async Task Write_FirstAttempt_PostsWithoutReadingTheTicketFirst()
    {
        _zendesk.AddTicket(25, "s", "m");
        var suggestion = await StoreSuggestionAsync(25);

        var result = await _host.Service<SuggestionWriteBack>().WriteAsync(suggestion.Id, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(WriteBackOutcome.Written));
        Assert.That(_zendesk.Requests.Where(r => r.PathAndQuery.StartsWith("/api/v2/tickets/25", StringComparison.Ordinal)).Select(r => r.Method),
            Is.EqualTo(new[] { "PUT" }));
    }

    [Test]
    public async Task Write_RateLimitedWithLongRetryAfter_AsksToRetryLaterAndRecordsTheAttempt()
    {
        _zendesk.AddTicket(23, "s", "m");
        _zendesk.FailNextUpdates(429, "90");
        var suggestion = await StoreSuggestionAsync(23);

        var result = await _host.Service<SuggestionWriteBack>().WriteAsync(suggestion.Id, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(WriteBackOutcome.RetryLater));
        Assert.That(result.DelayUntil, Is.Not.Null);
        var stored = await _host.Service<SuggestionStore>().GetAsync(suggestion.Id, CancellationToken.None);
        Assert.That(stored!.WriteAttempts, Is.EqualTo(1));
        Assert.That(stored.Status, Is.EqualTo(SuggestionStatus.PendingWrite));
    }

    [Test]
    public async Task Write_TicketDeleted_FailsForGood()
    {
        var suggestion = await StoreSuggestionAsync(24); // the fake has no ticket 24: 404
        var result = await _host.Service<SuggestionWriteBack>().WriteAsync(suggestion.Id, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(WriteBackOutcome.Failed));
        var stored = await _host.Service<SuggestionStore>().GetAsync(suggestion.Id, CancellationToken.None);
        Assert.That(stored!.Status, Is.EqualTo(SuggestionStatus.WriteFailed));
        Assert.That(stored.StatusReason, Does.Contain("404"));
    }
}
