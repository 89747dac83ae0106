using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// The group commit on PostgreSQL: the whole batch in one statement (arrays unnested into rows), so a batch costs one
/// round trip and one commit instead of one round trip per event. The rows it inserted come back from RETURNING; an
/// event whose key was already there (or earlier in the same batch) is a duplicate. Each batch takes a pooled
/// connection, so a server restart costs the batches in flight (503, the helpdesk redelivers), not the writer.
/// </summary>
internal sealed partial class InboxWriter
{
    private const string PostgresInsert = """
        INSERT INTO inbox_events (provider, dedupe_key, event_type, ticket_id, received_at, payload, trace_parent)
        SELECT provider, dedupe_key, event_type, ticket_id, @received, payload, trace_parent
        FROM unnest(@providers, @dedupes, @types, @tickets, @payloads, @traces) AS e(provider, dedupe_key, event_type, ticket_id, payload, trace_parent)
        ON CONFLICT (provider, dedupe_key) DO NOTHING
        RETURNING provider, dedupe_key
        """;

    private async Task RunPostgresAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
                    batch.Add(item);
                try
                {
                    var stored = await InsertPostgresAsync(batch);
                    foreach (var item in batch)
                    {
                        var result = stored.Remove((item.Event.Provider, item.Event.DedupeKey)) ? InboxResult.Stored : InboxResult.Duplicate;
                        item.Completion.TrySetResult(result);
                        Telemetry.SidecarTelemetry.EventsIngested.Add(1,
                            new("helpdesk", item.Event.Provider), new("result", result == InboxResult.Stored ? "stored" : "duplicate"));
                    }
                    _signal.Notify();
                }
                catch (Exception ex) when (ex is DbException or IOException or TimeoutException)
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

    /// <returns>The keys this batch inserted (each once, for the first event that carried it).</returns>
    private async Task<HashSet<(string Provider, string DedupeKey)>> InsertPostgresAsync(List<Pending> batch)
    {
        await using var connection = (NpgsqlConnection)await _database.OpenAsync(CancellationToken.None);
        await using var insert = new NpgsqlCommand(PostgresInsert, connection);
        insert.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.Text) { Value = _time.GetUtcNow().ToString("O") });
        insert.Parameters.Add(new NpgsqlParameter("providers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.Event.Provider).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("dedupes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.Event.DedupeKey).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.Event.EventType).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("tickets", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.Event.TicketId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(p => p.Event.Payload).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("traces", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.TraceParent).ToArray() });
        var stored = new HashSet<(string, string)>();
        // One statement is its own transaction: committed (and, with synchronous_commit on, flushed) before it returns.
        await using var reader = await insert.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
            stored.Add((reader.GetString(0), reader.GetString(1)));
        return stored;
    }
}
