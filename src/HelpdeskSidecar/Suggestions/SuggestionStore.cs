using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions;

/// <summary>Suggestions and their write-back state in SQLite.</summary>
internal sealed class SuggestionStore(Database database, TimeProvider time)
{
    /// <summary>Stores the suggestion unless one already answers the same trigger; returns the one that is stored.</summary>
    public async Task<(Suggestion Suggestion, bool Created)> InsertAsync(Suggestion suggestion, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO suggestions (id, provider, ticket_id, trigger_key, created_at, kind, mode, draft, note, status, trace, brand_id, question)
            VALUES (@Id, @Provider, @TicketId, @TriggerKey, @CreatedAt, @Kind, @Mode, @Draft, @Note, @Status, @Trace, @BrandId, @Question)
            ON CONFLICT (provider, ticket_id, trigger_key) DO NOTHING
            """,
            new
            {
                suggestion.Id, suggestion.Provider, suggestion.TicketId, suggestion.TriggerKey,
                CreatedAt = suggestion.CreatedAt.ToString("O"), Kind = suggestion.Kind.ToString(), suggestion.Mode,
                suggestion.Draft, suggestion.Note, Status = suggestion.Status.ToString(), suggestion.BrandId, suggestion.Question,
                Trace = JsonSerializer.Serialize(suggestion.Trace, SuggestionJsonContext.Default.SuggestionTrace),
            });
        if (inserted == 1)
            return (suggestion, true);
        var existing = await FindByTriggerAsync(suggestion.Provider, suggestion.TicketId, suggestion.TriggerKey, ct);
        return (existing ?? throw new InvalidOperationException("A conflicting suggestion vanished."), false);
    }

    public async Task<Suggestion?> FindByTriggerAsync(string provider, string ticketId, string triggerKey, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition($"{Select} WHERE provider = @provider AND ticket_id = @ticketId AND trigger_key = @triggerKey",
                new { provider, ticketId, triggerKey }, cancellationToken: ct));
        return row?.ToSuggestion();
    }

    public async Task<Suggestion?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition($"{Select} WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToSuggestion();
    }

    /// <summary>Newest first; one ticket's suggestions oldest first, as its conversation reads.</summary>
    public async Task<IReadOnlyList<Suggestion>> ListAsync(string? ticketId, int limit, CancellationToken ct) =>
        (await PageAsync(new SuggestionFilter(Ticket: ticketId), null, limit, ct)).Items;

    /// <summary>
    /// One page of the suggestions that pass <paramref name="filter"/>, filtered in SQL, in the order of
    /// <see cref="SuggestionFilter.NewestFirst"/>, from <paramref name="cursor"/> on (keyset on created_at, id).
    /// </summary>
    public async Task<SuggestionPage> PageAsync(SuggestionFilter filter, SuggestionCursor? cursor, int limit, CancellationToken ct)
    {
        var where = new List<string>();
        var args = new DynamicParameters();
        void Add(string condition, string? name = null, object? value = null)
        {
            where.Add(condition);
            if (name is not null)
                args.Add(name, value);
        }
        if (filter.Ticket is { } ticket)
            Add("ticket_id = @Ticket", "Ticket", ticket);
        if (filter.Kind is { } kind)
            Add("kind = @Kind", "Kind", kind);
        switch (filter.Verdict)
        {
            case null:
                break;
            case SuggestionFilter.Pending:
                Add("kind = 'Draft' AND verdict IS NULL");
                break;
            case Acceptance.Verdicts.NotApplicable:
                Add("kind <> 'Draft'");
                break;
            default:
                Add("kind = 'Draft' AND verdict = @Verdict", "Verdict", filter.Verdict);
                break;
        }
        if (filter.Intent is { } intent)
            Add($"{database.Sql.JsonText("trace", "understanding.intent.label")} = @Intent", "Intent", intent);
        if (filter.Brand is { } brand)
            Add("brand_id = @Brand", "Brand", brand);
        if (filter.Mode is { } mode)
            Add("mode = @Mode", "Mode", mode);
        var window = Reports.DayWindow.Of(filter.From, filter.To);
        if (window.From is { } from)
            Add("created_at >= @From", "From", from);
        if (window.To is { } to)
            Add("created_at < @To", "To", to);

        // Walking the list's own order for "after", its reverse for "before" (then turned back round).
        var backwards = cursor is { Before: true };
        var descending = filter.NewestFirst != backwards;
        if (cursor is not null)
        {
            Add($"(created_at, id) {(descending ? "<" : ">")} (@CursorAt, @CursorId)");
            args.Add("CursorAt", cursor.CreatedAt);
            args.Add("CursorId", cursor.Id);
        }
        args.Add("Limit", limit + 1);
        var order = descending ? "created_at DESC, id DESC" : "created_at, id";
        var sql = $"{Select} {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where.Select(w => $"({w})")))} ORDER BY {order} LIMIT @Limit";

        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();
        var more = rows.Count > limit;
        if (more)
            rows.RemoveAt(rows.Count - 1);
        if (backwards)
            rows.Reverse();
        string? Key(Row r, bool before) => new SuggestionCursor(before, r.created_at, r.id).Encode();
        var next = rows.Count == 0 ? null : backwards || more ? Key(rows[^1], false) : null;
        var previous = rows.Count == 0 ? null : backwards ? (more ? Key(rows[0], true) : null) : cursor is not null ? Key(rows[0], true) : null;
        return new SuggestionPage(rows.Select(r => r.ToSuggestion()).ToList(), next, previous);
    }

    /// <summary>Every suggestion made on one ticket of one helpdesk, oldest first.</summary>
    public async Task<IReadOnlyList<Suggestion>> ListForTicketAsync(string provider, string ticketId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE provider = @provider AND ticket_id = @ticketId ORDER BY created_at, id",
            new { provider, ticketId }, cancellationToken: ct));
        return rows.Select(r => r.ToSuggestion()).ToList();
    }

    public Task MarkWrittenAsync(string id, CancellationToken ct) =>
        SetStatusAsync(id, SuggestionStatus.Written, null, ct, "written_at = @now,");

    public Task MarkWriteFailedAsync(string id, string reason, CancellationToken ct) =>
        SetStatusAsync(id, SuggestionStatus.WriteFailed, reason, ct);

    public Task RecordWriteFailureAsync(string id, string? reason, CancellationToken ct) =>
        SetStatusAsync(id, SuggestionStatus.PendingWrite, reason, ct);

    /// <summary>Counts a write attempt before it is made, so a crash in the middle still leaves a trace of it.</summary>
    /// <returns>How many attempts were started before this one.</returns>
    public async Task<int> BeginWriteAttemptAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE suggestions SET write_attempts = write_attempts + 1 WHERE id = @id RETURNING write_attempts - 1",
            new { id }, cancellationToken: ct));
    }

    private async Task SetStatusAsync(string id, SuggestionStatus status, string? reason, CancellationToken ct, string extra = "")
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE suggestions SET {extra} status = @status, status_reason = @reason WHERE id = @id AND status <> 'Written'",
            new { id, status = status.ToString(), reason, now = time.GetUtcNow().ToString("O") }, cancellationToken: ct));
    }

    private const string Select = """
        SELECT id, provider, ticket_id, trigger_key, created_at, kind, mode, draft, note, status, status_reason,
               written_at, write_attempts, verdict, similarity, trace, brand_id, verdict_source, verdict_reason, question, reply
        FROM suggestions
        """;

    private sealed record Row(
        string id, string provider, string ticket_id, string trigger_key, string created_at, string kind, string mode,
        string? draft, string note, string status, string? status_reason, string? written_at, long write_attempts,
        string? verdict, double? similarity, string trace, string? brand_id, string? verdict_source, string? verdict_reason, string? question, string? reply)
    {
        public Suggestion ToSuggestion() => new()
        {
            Id = id, Provider = provider, TicketId = ticket_id, TriggerKey = trigger_key,
            CreatedAt = DateTimeOffset.Parse(created_at, CultureInfo.InvariantCulture),
            Kind = Enum.Parse<SuggestionKind>(kind), Mode = mode, Draft = draft, Note = note,
            Status = Enum.Parse<SuggestionStatus>(status), StatusReason = status_reason,
            WrittenAt = written_at is null ? null : DateTimeOffset.Parse(written_at, CultureInfo.InvariantCulture),
            WriteAttempts = (int)write_attempts, Verdict = verdict, Similarity = similarity,
            BrandId = brand_id, VerdictSource = verdict_source, VerdictReason = verdict_reason, Question = question, Reply = reply,
            Trace = JsonSerializer.Deserialize(trace, SuggestionJsonContext.Default.SuggestionTrace)!,
        };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SuggestionTrace))]
[JsonSerializable(typeof(SuggestionView))]
[JsonSerializable(typeof(SuggestionDetail))]
[JsonSerializable(typeof(SuggestionList))]
[JsonSerializable(typeof(PanelSuggestion))]
[JsonSerializable(typeof(InsertionRequest))]
[JsonSerializable(typeof(InsertionView))]
internal sealed partial class SuggestionJsonContext : JsonSerializerContext;
