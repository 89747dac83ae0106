using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// Drops webhook bodies from the inbox once their event has been dispatched for <see cref="IngestionOptions.PayloadRetention"/>:
/// a body is a hint that may carry whatever the customer wrote (card numbers, e-mails, phones), and nothing reads it
/// after dispatch, since the pipeline loads the ticket from the helpdesk API. The row stays (dedupe key, type, ticket,
/// times, disposition), so a redelivery is still recognised; an event not yet dispatched keeps its body, so nothing
/// acknowledged is lost. On SQLite the sweep's connection zeroes freed space (<c>secure_delete</c>), so the bytes leave the
/// file too; PostgreSQL has no such switch: the old row versions' bytes are freed (not zeroed) by VACUUM (autovacuum).
/// </summary>
internal sealed partial class InboxPayloadRetention(
    Database database, IOptions<SidecarOptions> options, TimeProvider time, ILogger<InboxPayloadRetention> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Ingestion.PayloadSweepInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>How many bodies were dropped.</returns>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = (time.GetUtcNow() - options.Value.Ingestion.PayloadRetention).ToString("O");
        await using var connection = await database.OpenAsync(ct);
        var sqlite = !database.IsPostgres;
        if (sqlite)
            await connection.ExecuteAsync("PRAGMA secure_delete=ON;");
        var empty = sqlite ? "X''" : @"'\x'::bytea";
        var dropped = 0;
        int batch;
        try
        {
            do
            {
                // Small batches: the inbox writer shares SQLite's write lock and must not wait on a long sweep.
                batch = await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    UPDATE inbox_events SET payload = {empty}
                    WHERE id IN (SELECT id FROM inbox_events WHERE length(payload) > 0 AND dispatched_at <= @cutoff LIMIT @BatchSize)
                    """, new { cutoff, BatchSize }, cancellationToken: ct));
                dropped += batch;
            }
            while (batch == BatchSize);
        }
        finally
        {
            if (sqlite)
                await connection.ExecuteAsync("PRAGMA secure_delete=OFF;"); // the pooled connection goes back as it came
        }
        if (dropped > 0)
            LogDropped(dropped);
        return dropped;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped the bodies of {Count} dispatched webhook events")]
    private partial void LogDropped(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping dispatched webhook bodies failed; tried again at the next sweep")]
    private partial void LogSweepFailed(Exception exception);
}
