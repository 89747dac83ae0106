namespace HelpdeskSidecar.Reports;

/// <param name="Gaps">Tickets with no confident answer (suggestion kind <c>KnowledgeGap</c>).</param>
/// <param name="Suggestions">Every suggestion of the intent in the window, whatever its kind.</param>
/// <param name="GapRate">gaps / suggestions, null when there were none.</param>
/// <param name="Examples">Up to N of the newest distinct questions, redacted excerpts (placeholders, never PII).</param>
internal sealed record GapGroup(string Intent, int Gaps, int Suggestions, double? GapRate, IReadOnlyList<string> Examples);

/// <summary>Knowledge gaps by predicted intent: where the knowledge base needs an article next. Most gaps first.</summary>
internal sealed record GapsReport(string? From, string? To, IReadOnlyList<GapGroup> Groups, GapGroup Total)
{
    public const int DefaultExamples = 3;
    public const int MaxExamples = 20;

    public static GapsReport Build(IReadOnlyList<SuggestionFact> facts, DateOnly? from, DateOnly? to, int examples)
    {
        var groups = facts
            .GroupBy(f => f.Intent ?? ReportGroupings.None, StringComparer.Ordinal)
            .Select(g => Group(g.Key, g.ToList(), examples))
            .Where(g => g.Gaps > 0)
            .OrderByDescending(g => g.Gaps).ThenBy(g => g.Intent, StringComparer.Ordinal)
            .ToList();
        return new GapsReport(AcceptanceReport.Day(from), AcceptanceReport.Day(to), groups, Group(AcceptanceReport.TotalKey, facts, 0));
    }

    private static GapGroup Group(string intent, IReadOnlyList<SuggestionFact> facts, int examples)
    {
        var gaps = facts.Where(f => f.Kind == nameof(Suggestions.SuggestionKind.KnowledgeGap)).ToList();
        var questions = gaps
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id, StringComparer.Ordinal)
            .Select(f => f.Question).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(examples)
            .ToList();
        return new GapGroup(intent, gaps.Count, facts.Count, facts.Count == 0 ? null : Math.Round((double)gaps.Count / facts.Count, 4), questions);
    }

    public static readonly string[] Columns = ["intent", "gaps", "suggestions", "gap_rate", "examples"];

    public static string[] Cells(GapGroup g) =>
        [g.Intent, ReportCsv.Cell(g.Gaps), ReportCsv.Cell(g.Suggestions), ReportCsv.Cell(g.GapRate), string.Join(" | ", g.Examples)];

    /// <summary>One row per intent with gaps, then the total; the examples of a row are joined with <c> | </c>.</summary>
    public string ToCsv() => ReportCsv.Write(Columns, Groups.Append(Total).Select(Cells));
}
