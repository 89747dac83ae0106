using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Storage;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Moves committed inbox events to the scheduler: groups them by ticket, schedules one pipeline trigger per
/// ticket, then marks them dispatched. Crashing between the two only schedules a ticket twice, which the
/// debounce and the pipeline's idempotency absorb. Event types the sidecar does not act on are marked
/// <c>ignored</c> (stored, acknowledged, kept for audit).
/// </summary>
internal sealed partial class InboxDispatcher(
    SqliteDatabase database,
    InboxSignal signal,
    TicketScheduler scheduler,
    IOptions<SidecarOptions> options,
    TimeProvider time,
    ILogger<InboxDispatcher> logger) : BackgroundService
{
    public const int BatchSize = 1000;

    /// <summary>Events that may need a new answer from the copilot.</summary>
    public static readonly HashSet<string> ActionableTypes = new(StringComparer.Ordinal)
    {
        "zen:event-type:ticket.created",
        "zen:event-type:ticket.comment_added",
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.Scheduling.InboxPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken) == BatchSize)
                {
                    // a full batch: there may be more right behind it
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(ex);
            }
            try
            {
                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>How many events were handled.</returns>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var events = (await connection.QueryAsync<(long Id, string Provider, string DedupeKey, string EventType, string? TicketId)>(
            new CommandDefinition(
                "SELECT id, provider, dedupe_key, event_type, ticket_id FROM inbox_events WHERE dispatched_at IS NULL ORDER BY id LIMIT @BatchSize",
                new { BatchSize }, cancellationToken: ct))).ToList();
        if (events.Count == 0)
            return 0;

        var actionable = events.Where(e => e.TicketId is not null && ActionableTypes.Contains(e.EventType)).ToList();
        foreach (var ticket in actionable.GroupBy(e => (e.Provider, e.TicketId!)))
        {
            var eventIds = string.Join(',', ticket.Select(e => e.DedupeKey).Take(50));
            await scheduler.SchedulePipelineAsync(ticket.Key.Provider, ticket.Key.Item2, eventIds, ct);
        }

        var now = time.GetUtcNow().ToString("O");
        var scheduled = actionable.Select(e => e.Id).ToHashSet();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE inbox_events SET dispatched_at = @now, disposition = @disposition WHERE id = @Id",
            events.Select(e => new { now, e.Id, disposition = scheduled.Contains(e.Id) ? "scheduled" : "ignored" }), tx);
        await tx.CommitAsync(ct);
        return events.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching inbox events failed; they stay in the inbox and are tried again")]
    private partial void LogDispatchFailed(Exception exception);
}
