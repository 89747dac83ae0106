using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>A verdict to record on one suggestion.</summary>
/// <param name="Reply">The reply the agent sent, already PII-redacted, when the verdict was read from one (the console shows it beside the draft).</param>
internal sealed record VerdictRecord(string Verdict, double? Similarity, string Source, string? Reason = null, string? ReplyAuthorId = null, string? Reply = null);

/// <summary>What acceptance tracking and feedback write: verdicts. The reports read them through their own query.</summary>
internal interface IVerdictWriter
{
    /// <returns>True when the verdict was recorded (the suggestion had none).</returns>
    Task<bool> RecordIfOpenAsync(string suggestionId, VerdictRecord verdict, CancellationToken ct);

    /// <returns>False when there is no such suggestion.</returns>
    Task<bool> RecordFeedbackAsync(string suggestionId, VerdictRecord verdict, CancellationToken ct);

    /// <returns>False when the link was already used or the suggestion is gone.</returns>
    Task<bool> RecordFromLinkAsync(string signature, string suggestionId, VerdictRecord verdict, CancellationToken ct);

    Task<bool> IsLinkUsedAsync(string signature, CancellationToken ct);

    /// <summary>Marks the ticket's drafts still waiting for a verdict, made before <paramref name="newerId"/>, as superseded by it.</summary>
    /// <returns>How many were marked.</returns>
    Task<int> SupersedeOpenDraftsAsync(string provider, string ticketId, string newerId, CancellationToken ct);
}

/// <summary>
/// The write side of acceptance on SQLite: verdicts found in the helpdesk and verdicts given as feedback. A verdict read
/// from a reply is recorded once and never over an earlier one; explicit feedback from an agent always wins.
/// </summary>
internal sealed class VerdictStore(Database database, TimeProvider time) : IVerdictWriter
{
    /// <returns>True when the verdict was recorded (the suggestion had none).</returns>
    public async Task<bool> RecordIfOpenAsync(string suggestionId, VerdictRecord verdict, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"{Update} WHERE id = @Id AND verdict IS NULL", Parameters(suggestionId, verdict), cancellationToken: ct)) == 1;
    }

    /// <returns>False when there is no such suggestion.</returns>
    public async Task<bool> RecordFeedbackAsync(string suggestionId, VerdictRecord verdict, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"{Update} WHERE id = @Id", Parameters(suggestionId, verdict), cancellationToken: ct)) == 1;
    }

    /// <summary>Spends a feedback link and records its verdict, in one transaction; a link is spent once.</summary>
    /// <returns>False when the link was already used or the suggestion is gone.</returns>
    public async Task<bool> RecordFromLinkAsync(string signature, string suggestionId, VerdictRecord verdict, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var spent = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO feedback_link_uses (signature, suggestion_id, used_at) VALUES (@signature, @suggestionId, @at) ON CONFLICT DO NOTHING",
            new { signature, suggestionId, at = time.GetUtcNow().ToString("O") }, tx, cancellationToken: ct));
        if (spent == 0)
            return false;
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            $"{Update} WHERE id = @Id", Parameters(suggestionId, verdict), tx, cancellationToken: ct));
        if (updated == 0)
            return false; // nothing to record: the transaction rolls back and the link stays unspent
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<bool> IsLinkUsedAsync(string signature, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM feedback_link_uses WHERE signature = @signature", new { signature }, cancellationToken: ct)) > 0;
    }

    public async Task<int> SupersedeOpenDraftsAsync(string provider, string ticketId, string newerId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {Update}
            WHERE provider = @Provider AND ticket_id = @TicketId AND id <> @Id AND kind = 'Draft' AND verdict IS NULL
              AND created_at <= (SELECT created_at FROM suggestions WHERE id = @Id)
            """,
            new
            {
                Id = newerId, Provider = provider, TicketId = ticketId, Verdict = Verdicts.Superseded, Similarity = (double?)null,
                Source = Verdicts.FromPipeline, Reason = $"A newer customer message got its own suggestion ({newerId}) before any reply.",
                ReplyAuthorId = (string?)null, Reply = (string?)null, At = time.GetUtcNow().ToString("O"),
            },
            cancellationToken: ct));
    }

    private object Parameters(string id, VerdictRecord v) => new
    {
        Id = id, v.Verdict, v.Similarity, v.Source, v.Reason, v.ReplyAuthorId, v.Reply, At = time.GetUtcNow().ToString("O"),
    };

    private const string Update = """
        UPDATE suggestions
        SET verdict = @Verdict, similarity = COALESCE(@Similarity, similarity), verdict_source = @Source, verdict_reason = @Reason,
            verdict_at = @At, reply_author_id = COALESCE(@ReplyAuthorId, reply_author_id), reply = COALESCE(@Reply, reply)
        """;
}
