using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Storage;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Moves committed inbox events to the scheduler: groups them by ticket, schedules one pipeline job per
/// ticket, then marks them dispatched. Crashing between the two only schedules a ticket twice, which the
/// debounce and the pipeline's idempotency absorb. Event types the sidecar does not act on are marked
/// <c>ignored</c> (stored, acknowledged, kept for audit).
/// </summary>
internal sealed partial class InboxDispatcher(
    Database database,
    InboxSignal signal,
    TicketScheduler scheduler,
    IOptions<SidecarOptions> options,
    TimeProvider time,
    ILogger<InboxDispatcher> logger) : BackgroundService
{
    public const int BatchSize = 1000;

    private static readonly TimeSpan MaxGather = TimeSpan.FromMilliseconds(100);

    /// <summary>Events that may need a new answer from the copilot.</summary>
    public static readonly HashSet<string> ActionableTypes = new(StringComparer.Ordinal)
    {
        "zen:event-type:ticket.created",
        "zen:event-type:ticket.comment_added",
        "zen:event-type:ticket.status_changed", // a solve without a reply settles the suggestion as no_reply
    };

    /// <summary>
    /// Freshdesk's <c>triggered_event</c> is whatever the rule fires on, so every event is a reason to look at the
    /// ticket (the pipeline answers each customer message once) except the ones listed here.
    /// </summary>
    public static bool IsActionable(string provider, string eventType) =>
        ActionableTypes.Contains(eventType)
        || (provider == Ingestion.FreshdeskWebhookEndpoint.Provider && !Ingestion.FreshdeskEvent.IgnoredTypes.Contains(eventType));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduling = options.Value.Scheduling;
        var poll = scheduling.InboxPollInterval;
        // Letting events gather for a moment (well inside the debounce) makes one pass, and one write, out of
        // many group commits, instead of competing with the inbox writer for SQLite's write lock on every commit.
        var gather = TimeSpan.FromTicks(Math.Min(scheduling.Debounce.Ticks / 4, MaxGather.Ticks));
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
                if (await signal.WaitAsync(poll, stoppingToken) && gather > TimeSpan.Zero)
                    await Task.Delay(gather, time, stoppingToken);
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
        // PostgreSQL: several replicas dispatch at once, and their inbox writers commit ids out of order. Each claims its
        // rows (locked until its commit; rows another claimed are skipped) and marks exactly those, after scheduling.
        // Killed in between, its lock goes with its connection and the rows are claimed again: a ticket scheduled twice.
        await using var tx = database.IsPostgres ? await connection.BeginTransactionAsync(ct) : null;
        var events = (await connection.QueryAsync<(long Id, string Provider, string DedupeKey, string EventType, string? TicketId, string? TraceParent)>(
            new CommandDefinition(
                "SELECT id, provider, dedupe_key, event_type, ticket_id, trace_parent FROM inbox_events WHERE dispatched_at IS NULL ORDER BY id LIMIT @BatchSize"
                + (tx is null ? "" : " FOR UPDATE SKIP LOCKED"),
                new { BatchSize }, tx, cancellationToken: ct))).ToList();
        if (events.Count == 0)
            return 0;

        var work = events
            .Where(e => e.TicketId is not null && IsActionable(e.Provider, e.EventType))
            .GroupBy(e => (e.Provider, TicketId: e.TicketId!))
            .Select(g => new TicketWork(g.Key.Provider, g.Key.TicketId, string.Join(',', g.Select(e => e.DedupeKey).Take(50)))
            {
                TraceParents = [.. g.Select(e => e.TraceParent).OfType<string>().Take(50)],
            });
        scheduler.SchedulePipelines(work);

        var sql = database.Sql;
        // SQLite: every row up to the last one read is committed (one writer, increasing ids), so a range update is exact.
        var which = tx is null ? "id BETWEEN @first AND @last AND dispatched_at IS NULL" : sql.In("id", "@ids");
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE inbox_events
            SET dispatched_at = @now,
                disposition = CASE WHEN ticket_id IS NOT NULL AND ({sql.In("event_type", "@ActionableTypes")}
                    OR (provider = @Freshdesk AND {sql.NotIn("event_type", "@FreshdeskIgnored")})) THEN 'scheduled' ELSE 'ignored' END
            WHERE {which}
            """,
            new
            {
                now = time.GetUtcNow().ToString("O"), ActionableTypes = ActionableTypes.ToArray(), Freshdesk = Ingestion.FreshdeskWebhookEndpoint.Provider,
                FreshdeskIgnored = Ingestion.FreshdeskEvent.IgnoredTypes.ToArray(), first = events[0].Id, last = events[^1].Id,
                ids = tx is null ? null : events.Select(e => e.Id).ToArray(),
            }, tx, cancellationToken: ct));
        if (tx is not null)
            await tx.CommitAsync(ct);
        return events.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching inbox events failed; they stay in the inbox and are tried again")]
    private partial void LogDispatchFailed(Exception exception);
}
