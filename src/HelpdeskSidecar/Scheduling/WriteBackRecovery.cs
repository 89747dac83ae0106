using Dapper;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// At start, every suggestion still waiting for its note gets a write-back job. Our table is the source of truth and
/// Hangfire's store only follows it: a crash can leave a job that never runs (Hangfire.Storage.SQLite writes a state
/// change as several commits, and a <c>kill -9</c> between them can leave a job in a state no worker picks up). A job
/// that is also still in the store does no harm: the two never overlap (<see cref="JobLocks"/>), and the second finds
/// the note written, or its marker on the ticket, and posts nothing.
/// </summary>
internal sealed partial class WriteBackRecovery(
    Database database,
    TicketScheduler scheduler,
    TimeProvider time,
    ILogger<WriteBackRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var pending = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM suggestions WHERE status = @status ORDER BY created_at",
            new { status = nameof(SuggestionStatus.PendingWrite) }, cancellationToken: cancellationToken))).ToList();
        var now = time.GetUtcNow();
        foreach (var id in pending)
            scheduler.ScheduleWriteBack(id, now);
        if (pending.Count > 0)
            LogRescheduled(pending.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} suggestions were waiting for their note at start; their write-backs are queued again")]
    private partial void LogRescheduled(int count);
}
