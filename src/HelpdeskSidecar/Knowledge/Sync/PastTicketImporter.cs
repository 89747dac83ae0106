using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Helpdesks.Zendesk;

namespace HelpdeskSidecar.Knowledge.Sync;

internal sealed record PastTicketReport(int Exported, int Imported, int Pages, int? TrainedOn);

/// <summary>
/// Solved and closed Zendesk tickets, from the incremental export, become the <c>past_ticket</c> history the classifier
/// learns from: subject and first message (redacted by <see cref="HistoryStore"/>) with the ticket's final tags.
/// The export cursor is kept, so the next run reads only what changed since.
/// </summary>
internal sealed partial class PastTicketImporter(HistoryStore history, ClassifierHost classifier, SyncStateStore state, TimeProvider time, ILogger<PastTicketImporter> logger)
{
    public const string HistorySource = "past_ticket";
    public const string StateKey = "zendesk:tickets";

    /// <summary>A guard against a cursor that never ends; 1,000 pages of 1,000 tickets is a large help desk.</summary>
    private const int MaxPages = 1000;

    public async Task<PastTicketReport> ImportAsync(ZendeskClient client, IProgress<int>? progress, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var previous = await state.GetAsync(StateKey, ct);
        var cursor = previous?.Cursor;
        int exported = 0, imported = 0, pages = 0;
        for (; pages < MaxPages; pages++)
        {
            var page = await client.ExportTicketsAsync(DateTimeOffset.UnixEpoch, cursor, ct);
            exported += page.Tickets.Count;
            var solved = page.Tickets.Where(t => t.IsSolved)
                .Select(t => new LabeledText((t.Subject + "\n" + t.Description).Trim(), Intent: null, t.Tags)).ToList();
            if (solved.Count > 0)
                imported += (await history.ImportAsync(HistorySource, solved, ct)).Stored;
            cursor = page.AfterCursor ?? cursor;
            // Each page's cursor is saved: an interrupted run resumes where it stopped, and importing again is idempotent.
            await state.SetAsync(new SyncState(StateKey, started, cursor), ct);
            progress?.Report(exported);
            if (page.EndOfStream || page.AfterCursor is null)
            {
                pages++;
                break;
            }
        }
        int? trainedOn = null;
        if (imported > 0)
            trainedOn = (await classifier.RetrainAsync(ct))?.ExampleCount;
        LogImported(exported, imported, pages);
        return new PastTicketReport(exported, imported, pages, trainedOn);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Past tickets: {Exported} exported, {Imported} solved imported, {Pages} pages")]
    private partial void LogImported(int exported, int imported, int pages);
}
