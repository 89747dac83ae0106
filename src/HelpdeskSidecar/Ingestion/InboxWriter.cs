using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ingestion;

internal sealed record InboxEvent(string Provider, string DedupeKey, string EventType, string? TicketId, byte[] Payload);

internal enum InboxResult
{
    Stored,
    Duplicate,
}

/// <summary>
/// Makes webhook events durable with group commit: concurrent requests queue their event, one writer
/// inserts everything queued in a single fsync'd transaction, and each request is released only after
/// the transaction holding its event has committed.
/// </summary>
internal sealed partial class InboxWriter : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Database _database;
    private readonly InboxSignal _signal;
    private readonly TimeProvider _time;
    private readonly int _maxBatch;
    private readonly ILogger<InboxWriter> _logger;

    public InboxWriter(Database database, InboxSignal signal, TimeProvider time, IOptions<SidecarOptions> options, ILogger<InboxWriter> logger)
    {
        _database = database;
        _signal = signal;
        _time = time;
        _maxBatch = options.Value.Ingestion.MaxBatch;
        _logger = logger;
    }

    /// <summary>Completes once the event is committed (or was already there).</summary>
    public Task<InboxResult> AppendAsync(InboxEvent inboxEvent, CancellationToken ct)
    {
        // The request's span, so the job this event leads to continues its trace (null when nobody listens).
        var traceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
        var pending = new Pending(inboxEvent, new TaskCompletionSource<InboxResult>(TaskCreationOptions.RunContinuationsAsynchronously), traceParent);
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The inbox is shutting down.");
        return pending.Completion.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_database.IsPostgres)
        {
            await RunPostgresAsync(stoppingToken);
            return;
        }
        await using var connection = await _database.OpenAsync(stoppingToken, synchronousFull: true);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO inbox_events (provider, dedupe_key, event_type, ticket_id, received_at, payload, trace_parent)
            VALUES (@provider, @dedupe, @type, @ticket, @received, @payload, @trace)
            ON CONFLICT (provider, dedupe_key) DO NOTHING
            """;
        var provider = Parameter(insert, "@provider", DbType.String);
        var dedupe = Parameter(insert, "@dedupe", DbType.String);
        var type = Parameter(insert, "@type", DbType.String);
        var ticket = Parameter(insert, "@ticket", DbType.String);
        var received = Parameter(insert, "@received", DbType.String);
        var payload = Parameter(insert, "@payload", DbType.Binary);
        var trace = Parameter(insert, "@trace", DbType.String);

        var batch = new List<Pending>(_maxBatch);
        var results = new InboxResult[_maxBatch];
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
                    batch.Add(item);
                try
                {
                    var now = _time.GetUtcNow().ToString("O");
                    await using (var tx = await connection.BeginTransactionAsync(CancellationToken.None))
                    {
                        insert.Transaction = tx;
                        for (var i = 0; i < batch.Count; i++)
                        {
                            var e = batch[i].Event;
                            provider.Value = e.Provider;
                            dedupe.Value = e.DedupeKey;
                            type.Value = e.EventType;
                            ticket.Value = (object?)e.TicketId ?? DBNull.Value;
                            received.Value = now;
                            payload.Value = e.Payload;
                            trace.Value = (object?)batch[i].TraceParent ?? DBNull.Value;
                            results[i] = await insert.ExecuteNonQueryAsync(CancellationToken.None) == 1 ? InboxResult.Stored : InboxResult.Duplicate;
                        }
                        await tx.CommitAsync(CancellationToken.None);
                    }
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Completion.TrySetResult(results[i]);
                        Telemetry.SidecarTelemetry.EventsIngested.Add(1,
                            new("helpdesk", batch[i].Event.Provider), new("result", results[i] == InboxResult.Stored ? "stored" : "duplicate"));
                    }
                    _signal.Notify();
                }
                catch (Exception ex) when (ex is DbException or IOException)
                {
                    LogBatchFailed(ex, batch.Count);
                    foreach (var item in batch)
                        item.Completion.TrySetException(ex);
                }
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
                left.Completion.TrySetCanceled(stoppingToken);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox group commit of {Count} events failed; the requests get 503 and the helpdesk will redeliver")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed record Pending(InboxEvent Event, TaskCompletionSource<InboxResult> Completion, string? TraceParent);
}

/// <summary>Wakes the dispatcher when new events are committed, so it does not wait for its next poll.</summary>
internal sealed class InboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try { _semaphore.Release(); }
            catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}
