using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>The helpdesk's past tickets with their intents and tags, stored redacted, for the classifier to learn from.</summary>
internal sealed class HistoryStore(Database database, TimeProvider time)
{
    /// <summary>
    /// Adds or relabels tickets (the same text from the same source is one ticket). A row is skipped when its text is
    /// empty, or when an earlier row of the same import has the same text (the first one's labels are kept).
    /// </summary>
    public async Task<HistoryImport> ImportAsync(string source, IEnumerable<LabeledText> tickets, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().ToString("O");
        var (added, relabelled) = (0, 0);
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ticket in tickets)
        {
            var text = PiiRedactor.Redact(ticket.Text.Trim(), new RedactionMap());
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            var reason = text.Length == 0 ? HistoryImport.EmptyText : !seen.Add(hash) ? HistoryImport.RepeatedText : null;
            if (reason is not null)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
                continue;
            }
            var known = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM history_tickets WHERE source = @source AND text_hash = @hash", new { source, hash }, tx) > 0;
            await connection.ExecuteAsync(
                """
                INSERT INTO history_tickets (source, text_hash, text, intent, tags, imported_at)
                VALUES (@source, @hash, @text, @intent, @tags, @now)
                ON CONFLICT (source, text_hash) DO UPDATE SET intent = excluded.intent, tags = excluded.tags, imported_at = excluded.imported_at
                """,
                new { source, hash, text, intent = string.IsNullOrWhiteSpace(ticket.Intent) ? null : ticket.Intent.Trim(), tags = string.Join(' ', ticket.Tags), now }, tx);
            if (known)
                relabelled++;
            else
                added++;
        }
        await tx.CommitAsync(ct);
        return new HistoryImport(added, relabelled, skipped);
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
        var rows = CsvTable.Read(path, CsvQuotes.Strict, "text", "intent");
        if (rows.Count == 0)
            throw new CsvFormatException($"'{path}' has a header but no tickets");
        return rows.Select(r => new LabeledText(r["text"], r["intent"],
            r.TryGetValue("tags", out var tags) ? tags.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [])).ToList();
    }
}

/// <summary>What an import stored: new tickets, tickets already known (their labels replaced), and rows skipped by reason.</summary>
internal sealed record HistoryImport(int Added, int Relabelled, IReadOnlyDictionary<string, int> Skipped)
{
    public const string EmptyText = "empty text";
    public const string RepeatedText = "same text as an earlier row";

    public int Stored => Added + Relabelled;

    /// <summary>"12 new, 3 already known (labels updated); skipped 2: 1 empty text, 1 same text as an earlier row".</summary>
    public override string ToString()
    {
        var stored = Relabelled == 0 ? $"{Added} new" : $"{Added} new, {Relabelled} already known (labels updated)";
        return Skipped.Count == 0
            ? stored
            : $"{stored}; skipped {Skipped.Values.Sum()}: {string.Join(", ", Skipped.Select(s => $"{s.Value} {s.Key}"))}";
    }
}
