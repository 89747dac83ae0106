using System.Globalization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Reports;

/// <summary>
/// One suggestion of any kind as the gap, usage and overview reports see it: labels, timings and model accounting
/// from the trace, and (on knowledge gaps only) the redacted question excerpt. A suggestion made without a model
/// has <see cref="Model"/> null, which the reports show as <c>offline</c> with zero tokens and cost.
/// </summary>
internal sealed record SuggestionFact(
    string Id, DateTimeOffset CreatedAt, string Kind, string? Verdict, double? Similarity, string? Intent,
    double? TotalMs, string? Model, int ModelCalls, long InputTokens, long OutputTokens, decimal CostUsd, string? Question, bool Inserted = false)
{
    public const string Offline = "offline";

    public string ModelName => string.IsNullOrWhiteSpace(Model) ? Offline : Model;

    public AcceptanceFact ToAcceptanceFact() => new(Id, CreatedAt, Verdict, Similarity, Intent, [], null, null, Inserted);
}

/// <summary>What the gap, usage and overview reports read. Nothing here writes.</summary>
internal interface ISuggestionReportQuery
{
    /// <param name="from">First day included (UTC), or none.</param>
    /// <param name="to">Last day included (UTC), or none.</param>
    Task<IReadOnlyList<SuggestionFact>> SuggestionsAsync(DateOnly? from, DateOnly? to, CancellationToken ct);
}

/// <summary>The read side on SQLite: trace fields through <c>json_extract</c>, never the note or the draft.</summary>
internal sealed class SuggestionFactsQuery(Database database) : ISuggestionReportQuery
{
    public async Task<IReadOnlyList<SuggestionFact>> SuggestionsAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var sql = database.Sql;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT id AS Id, created_at AS CreatedAt, kind AS Kind, verdict AS Verdict, similarity AS Similarity,
                   {sql.JsonText("trace", "understanding.intent.label")} AS Intent,
                   {sql.JsonReal("trace", "timings_ms.total")} AS TotalMs,
                   {sql.JsonText("trace", "model.model")} AS Model,
                   {sql.JsonInteger("trace", "model.calls")} AS Calls,
                   {sql.JsonInteger("trace", "model.input_tokens")} AS InputTokens,
                   {sql.JsonInteger("trace", "model.output_tokens")} AS OutputTokens,
                   {sql.JsonReal("trace", "model.cost_usd")} AS CostUsd,
                   question AS Question,
                   (SELECT count(*) FROM suggestion_insertions i WHERE i.suggestion_id = suggestions.id) AS Insertions
            FROM suggestions
            WHERE (@From IS NULL OR created_at >= @From) AND (@To IS NULL OR created_at < @To)
            ORDER BY created_at, id
            """,
            DayWindow.Of(from, to),
            cancellationToken: ct));
        return rows.Select(r => new SuggestionFact(
            r.Id, DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture), r.Kind, r.Verdict, r.Similarity, r.Intent,
            r.TotalMs, r.Model, (int)(r.Calls ?? 0), r.InputTokens ?? 0, r.OutputTokens ?? 0, Math.Round((decimal)(r.CostUsd ?? 0), 6), r.Question, r.Insertions > 0)).ToList();
    }

    // Settable properties: Dapper converts SQLite's storage classes into them.
    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? Verdict { get; set; }
        public double? Similarity { get; set; }
        public string? Intent { get; set; }
        public double? TotalMs { get; set; }
        public string? Model { get; set; }
        public long? Calls { get; set; }
        public long? InputTokens { get; set; }
        public long? OutputTokens { get; set; }
        public double? CostUsd { get; set; }
        public string? Question { get; set; }
        public long Insertions { get; set; }
    }
}
