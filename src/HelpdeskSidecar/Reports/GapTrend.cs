namespace HelpdeskSidecar.Reports;

/// <param name="Week">ISO week (UTC), e.g. <c>2026-W10</c>.</param>
/// <param name="Gaps">Suggestions of kind <c>KnowledgeGap</c> made that week.</param>
/// <param name="Suggestions">Suggestions of every kind made that week.</param>
/// <param name="GapRate">gaps / suggestions, null in a week without suggestions.</param>
internal sealed record GapWeek(string Week, int Gaps, int Suggestions, double? GapRate);

/// <summary><c>GET /api/reports/gaps?by=week</c>, <c>report gaps --by week</c>: gaps per ISO week (UTC).</summary>
internal sealed record GapTrendReport(string? From, string? To, string By, IReadOnlyList<GapWeek> Weeks)
{
    public static GapTrendReport Build(IReadOnlyList<SuggestionFact> facts, DateOnly? from, DateOnly? to) =>
        new(AcceptanceReport.Day(from), AcceptanceReport.Day(to), "week", GapTrend.ByWeek(facts, from, to));

    public string ToCsv() => ReportCsv.Write(GapTrend.Columns, Weeks.Select(GapTrend.Cells));
}

/// <summary>Knowledge gaps week by week: is the knowledge base catching up with the questions? Weeks without suggestions included.</summary>
internal static class GapTrend
{
    public static IReadOnlyList<GapWeek> ByWeek(IReadOnlyList<SuggestionFact> facts, DateOnly? from, DateOnly? to)
    {
        var byWeek = facts.GroupBy(f => ReportGroupings.WeekOf(f.CreatedAt), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var weeks = ReportGroupings.WeeksBetween(facts.Count == 0 ? null : facts.Min(f => f.CreatedAt), facts.Count == 0 ? null : facts.Max(f => f.CreatedAt), from, to)
            .Union(byWeek.Keys, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return weeks.Select(w =>
        {
            var week = byWeek.GetValueOrDefault(w) ?? [];
            var gaps = week.Count(f => f.Kind == nameof(Suggestions.SuggestionKind.KnowledgeGap));
            return new GapWeek(w, gaps, week.Count, week.Count == 0 ? null : Math.Round((double)gaps / week.Count, 4));
        }).ToList();
    }

    public static readonly string[] Columns = ["week", "gaps", "suggestions", "gap_rate"];

    public static string[] Cells(GapWeek w) => [w.Week, ReportCsv.Cell(w.Gaps), ReportCsv.Cell(w.Suggestions), ReportCsv.Cell(w.GapRate)];
}
