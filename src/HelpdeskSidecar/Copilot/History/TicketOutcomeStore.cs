using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Copilot.History;

/// <summary>One row of <c>ticket_outcomes</c>: what the sidecar remembers of a ticket it ran on.</summary>
internal sealed record TicketOutcome(
    string Provider, string TicketId, string? RequesterId, string? Intent, string? Summary, string? SuggestionId,
    DateTimeOffset FirstSeenAt, DateTimeOffset? SolvedAt, DateTimeOffset? ReopenedAt, DateTimeOffset? RecontactedAt, string? RecontactTicketId)
{
    /// <summary>
    /// <c>open</c> (not solved), <c>reopened</c>, <c>recontacted</c>, <c>pending</c> (solved, window still open) or
    /// <c>verified</c> (solved, and the window closed without a reopen or a recontact).
    /// </summary>
    public string OutcomeAt(DateTimeOffset now, TimeSpan window) => ResolutionOutcomes.Of(SolvedAt, ReopenedAt, RecontactedAt, now, window);
}

internal static class ResolutionOutcomes
{
    public const string Open = "open";
    public const string Pending = "pending";
    public const string Verified = "verified";
    public const string Reopened = "reopened";
    public const string Recontacted = "recontacted";

    /// <summary>The window is [solved, solved + window): a reopen at its last tick counts, at its end the ticket is verified.</summary>
    public static string Of(DateTimeOffset? solvedAt, DateTimeOffset? reopenedAt, DateTimeOffset? recontactedAt, DateTimeOffset now, TimeSpan window) =>
        reopenedAt is not null ? Reopened
        : recontactedAt is not null ? Recontacted
        : solvedAt is not { } solved ? Open
        : now < solved + window ? Pending
        : Verified;
}

/// <summary>
/// <c>ticket_outcomes</c> on either provider: the pipeline writes (a run, a status seen), the history and the
/// verified-resolution report read. Every write is idempotent: a retried run changes nothing twice.
/// </summary>
internal sealed class TicketOutcomeStore(Database database)
{
    private const string Columns =
        "provider AS Provider, ticket_id AS TicketId, requester_id AS RequesterId, intent AS Intent, summary AS Summary, suggestion_id AS SuggestionId, "
        + "first_seen_at AS FirstSeenAt, solved_at AS SolvedAt, reopened_at AS ReopenedAt, recontacted_at AS RecontactedAt, recontact_ticket_id AS RecontactTicketId";

    /// <summary>Records a run on the ticket; known values are kept when the run has none (a later escalation keeps the draft's id).</summary>
    public async Task RecordRunAsync(string provider, string ticketId, string? requesterId, string? intent, string? summary, string? draftSuggestionId,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ticket_outcomes (provider, ticket_id, requester_id, intent, summary, suggestion_id, first_seen_at)
            VALUES (@provider, @ticketId, @requesterId, @intent, @summary, @draftSuggestionId, @now)
            ON CONFLICT (provider, ticket_id) DO UPDATE SET
                requester_id = COALESCE(excluded.requester_id, ticket_outcomes.requester_id),
                intent = COALESCE(excluded.intent, ticket_outcomes.intent),
                summary = COALESCE(excluded.summary, ticket_outcomes.summary),
                suggestion_id = COALESCE(excluded.suggestion_id, ticket_outcomes.suggestion_id)
            """,
            new { provider, ticketId, requesterId, intent, summary, draftSuggestionId, now = Text(now) }, cancellationToken: ct));
    }

    /// <summary>The first solve of a drafted ticket; later solves (after a reopen, or solved → closed) keep the first.</summary>
    public async Task<bool> MarkSolvedAsync(string provider, string ticketId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ticket_outcomes SET solved_at = @now
            WHERE provider = @provider AND ticket_id = @ticketId AND solved_at IS NULL AND suggestion_id IS NOT NULL
            """,
            new { provider, ticketId, now = Text(now) }, cancellationToken: ct)) == 1;
    }

    /// <summary>A solved ticket open again within the window (<paramref name="since"/> = now − window): not verified-resolved.</summary>
    public async Task<bool> MarkReopenedAsync(string provider, string ticketId, DateTimeOffset now, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ticket_outcomes SET reopened_at = @now
            WHERE provider = @provider AND ticket_id = @ticketId AND solved_at IS NOT NULL AND solved_at > @since
              AND reopened_at IS NULL AND recontacted_at IS NULL
            """,
            new { provider, ticketId, now = Text(now), since = Text(since) }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// The requester's drafted tickets solved within the window and before <paramref name="ticketId"/> was first seen,
    /// not yet reopened or recontacted: the ones a new ticket on the same theme makes unverified.
    /// </summary>
    public async Task<IReadOnlyList<TicketOutcome>> RecontactCandidatesAsync(string provider, string requesterId, string ticketId, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns.Replace("provider AS", "o.provider AS", StringComparison.Ordinal)} FROM ticket_outcomes o
            WHERE o.provider = @provider AND o.requester_id = @requesterId AND o.ticket_id <> @ticketId
              AND o.suggestion_id IS NOT NULL AND o.solved_at IS NOT NULL AND o.solved_at > @since
              AND o.reopened_at IS NULL AND o.recontacted_at IS NULL
              AND o.solved_at < (SELECT c.first_seen_at FROM ticket_outcomes c WHERE c.provider = @provider AND c.ticket_id = @ticketId)
            ORDER BY o.solved_at, o.ticket_id
            """,
            new { provider, requesterId, ticketId, since = Text(since) }, cancellationToken: ct));
        return rows.Select(r => r.ToOutcome()).ToList();
    }

    public async Task<bool> MarkRecontactedAsync(string provider, string ticketId, string byTicketId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ticket_outcomes SET recontacted_at = @now, recontact_ticket_id = @byTicketId
            WHERE provider = @provider AND ticket_id = @ticketId AND reopened_at IS NULL AND recontacted_at IS NULL
            """,
            new { provider, ticketId, byTicketId, now = Text(now) }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<TicketOutcome>> ForTicketsAsync(string provider, IReadOnlyCollection<string> ticketIds, CancellationToken ct)
    {
        if (ticketIds.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM ticket_outcomes WHERE provider = @provider AND {database.Sql.In("ticket_id", "@ids")}",
            new { provider, ids = ticketIds.ToArray() }, cancellationToken: ct));
        return rows.Select(r => r.ToOutcome()).ToList();
    }

    public async Task<TicketOutcome?> GetAsync(string provider, string ticketId, CancellationToken ct) =>
        (await ForTicketsAsync(provider, [ticketId], ct)).SingleOrDefault();

    internal static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    internal static DateTimeOffset? Time(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    // Settable properties: Dapper fills them by column name on both providers.
    private sealed class Row
    {
        public string Provider { get; set; } = "";
        public string TicketId { get; set; } = "";
        public string? RequesterId { get; set; }
        public string? Intent { get; set; }
        public string? Summary { get; set; }
        public string? SuggestionId { get; set; }
        public string FirstSeenAt { get; set; } = "";
        public string? SolvedAt { get; set; }
        public string? ReopenedAt { get; set; }
        public string? RecontactedAt { get; set; }
        public string? RecontactTicketId { get; set; }

        public TicketOutcome ToOutcome() => new(Provider, TicketId, RequesterId, Intent, Summary, SuggestionId, Time(FirstSeenAt)!.Value,
            Time(SolvedAt), Time(ReopenedAt), Time(RecontactedAt), RecontactTicketId);
    }
}
