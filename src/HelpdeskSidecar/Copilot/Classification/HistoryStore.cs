using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>The helpdesk's past tickets with their intents and tags, stored redacted, for the classifier to learn from.</summary>
internal sealed class HistoryStore(SqliteDatabase database, TimeProvider time)
{
    /// <summary>Adds or relabels tickets (the same text from the same source is one ticket). Returns how many rows were written.</summary>
    public async Task<int> ImportAsync(string source, IEnumerable<LabeledText> tickets, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().ToString("O");
        var written = 0;
        foreach (var ticket in tickets)
        {
            var text = PiiRedactor.Redact(ticket.Text.Trim(), new RedactionMap());
            if (text.Length == 0)
                continue;
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            written += await connection.ExecuteAsync(
                """
                INSERT INTO history_tickets (source, text_hash, text, intent, tags, imported_at)
                VALUES (@source, @hash, @text, @intent, @tags, @now)
                ON CONFLICT (source, text_hash) DO UPDATE SET intent = excluded.intent, tags = excluded.tags, imported_at = excluded.imported_at
                """,
                new { source, hash, text, intent = string.IsNullOrWhiteSpace(ticket.Intent) ? null : ticket.Intent.Trim(), tags = string.Join(' ', ticket.Tags), now }, tx);
        }
        await tx.CommitAsync(ct);
        return written;
    }

    public async Task<IReadOnlyList<LabeledText>> LoadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Text, string? Intent, string Tags)>(
            new CommandDefinition("SELECT text, intent, tags FROM history_tickets ORDER BY id", cancellationToken: ct));
        return rows.Select(r => new LabeledText(r.Text, r.Intent, r.Tags.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
    }

    /// <summary>Changes whenever the history does: lets a long-running host notice an import made by the CLI.</summary>
    public async Task<string> VersionAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string>(
            new CommandDefinition("SELECT count(*) || '@' || coalesce(max(imported_at), '') FROM history_tickets", cancellationToken: ct)) ?? "";
    }

    /// <summary>Reads a <c>text,intent,tags</c> CSV (tags separated by spaces; the tags column may be absent).</summary>
    public static IReadOnlyList<LabeledText> ReadCsv(string path)
    {
        var rows = CsvTable.Read(path, "text", "intent");
        if (rows.Count == 0)
            throw new CsvFormatException($"'{path}' has a header but no tickets");
        return rows.Select(r => new LabeledText(r["text"], r["intent"],
            r.TryGetValue("tags", out var tags) ? tags.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [])).ToList();
    }
}
