using System.Globalization;
using Dapper;
using HelpdeskSidecar.Copilot.History;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Reports.Resolution;

/// <summary>One drafted ticket as the verified-resolution report sees it: its latest draft (labels, verdict) and what became of the ticket.</summary>
internal sealed record ResolutionFact(AcceptanceFact Draft, DateTimeOffset? SolvedAt, DateTimeOffset? ReopenedAt, DateTimeOffset? RecontactedAt)
{
    public string OutcomeAt(DateTimeOffset now, TimeSpan window) => ResolutionOutcomes.Of(SolvedAt, ReopenedAt, RecontactedAt, now, window);
}

/// <summary>What the verified-resolution report reads. Nothing here writes.</summary>
internal interface IResolutionReportQuery
{
    /// <summary>Tickets whose latest draft was made in the window of UTC days (both included, either open).</summary>
    Task<IReadOnlyList<ResolutionFact>> DraftedTicketsAsync(DateOnly? from, DateOnly? to, CancellationToken ct);
}

/// <summary><c>ticket_outcomes</c> joined with the ticket's draft on either provider: labels and times, never ticket text.</summary>
internal sealed class ResolutionQuery(Database database) : IResolutionReportQuery
{
    public async Task<IReadOnlyList<ResolutionFact>> DraftedTicketsAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT s.id AS Id, s.created_at AS CreatedAt, s.verdict AS Verdict, s.similarity AS Similarity,
                   {database.Sql.JsonText("s.trace", "understanding.intent.label")} AS Intent, s.reply_author_id AS AgentId, s.brand_id AS BrandId,
                   o.solved_at AS SolvedAt, o.reopened_at AS ReopenedAt, o.recontacted_at AS RecontactedAt
            FROM ticket_outcomes o JOIN suggestions s ON s.id = o.suggestion_id
            WHERE (@From IS NULL OR s.created_at >= @From) AND (@To IS NULL OR s.created_at < @To)
            ORDER BY s.created_at, s.id
            """,
            DayWindow.Of(from, to), cancellationToken: ct));
        return rows.Select(r => new ResolutionFact(
            new AcceptanceFact(r.Id, DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture), r.Verdict, r.Similarity, r.Intent, [], r.AgentId, r.BrandId),
            TicketOutcomeStore.Time(r.SolvedAt), TicketOutcomeStore.Time(r.ReopenedAt), TicketOutcomeStore.Time(r.RecontactedAt))).ToList();
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? Verdict { get; set; }
        public double? Similarity { get; set; }
        public string? Intent { get; set; }
        public string? AgentId { get; set; }
        public string? BrandId { get; set; }
        public string? SolvedAt { get; set; }
        public string? ReopenedAt { get; set; }
        public string? RecontactedAt { get; set; }
    }
}
