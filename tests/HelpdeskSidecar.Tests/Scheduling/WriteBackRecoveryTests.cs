using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>Our suggestions table, not Hangfire's store, decides what still needs a note: a restart writes what a lost job would have.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class WriteBackRecoveryTests(string provider)
{
    [Test]
    public async Task Start_SuggestionWaitingForItsNoteWithNoJob_NoteWrittenOnce()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        using var dataDir = new TempDirectory();
        zendesk.AddTicket(8585, "Refund", "When will my refund arrive on my card?");
        string[] settings = ["Sidecar:Mode=Live", .. zendesk.ConnectionSettings, $"Sidecar:DataDir={dataDir.Path}", .. await StorageProviders.SettingsAsync(provider)];

        // A suggestion stored as waiting for its note, with no write-back job in the store (as a crash can leave it).
        await using (var before = await SidecarTestHost.StartAsync(settings))
            await before.Service<SuggestionStore>().InsertAsync(Waiting("s-recover", 8585), CancellationToken.None);
        Assert.That(zendesk.Puts(8585), Is.Empty);

        await using var after = await SidecarTestHost.StartAsync(settings);

        await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(8585).Count), n => n >= 1, because: "the note after the restart");
        await HangfireJobs.QuietAsync(after);
        Assert.That(zendesk.Puts(8585), Has.Count.EqualTo(1));
        Assert.That((await after.Service<SuggestionStore>().GetAsync("s-recover", CancellationToken.None))!.Status, Is.EqualTo(SuggestionStatus.Written));
    }

    private static Suggestion Waiting(string id, long ticketId) => new()
    {
        Id = id, Provider = "zendesk", TicketId = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture), TriggerKey = "c1",
        CreatedAt = TimeProvider.System.GetUtcNow(), Kind = SuggestionKind.Draft, Mode = "Live", Draft = "draft",
        Note = "Here is the draft reply.", Status = SuggestionStatus.PendingWrite,
        Trace = new SuggestionTrace { Drafter = "offline-extractive", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 3) },
    };
}
