using System.Globalization;

namespace HelpdeskSidecar.Reports;

/// <param name="Suggestions">Suggestions of every kind in the group.</param>
/// <param name="ModelCalls">Language-model calls made for them (0 for the offline path).</param>
/// <param name="LatencyP50Ms">Pipeline latency (trace <c>timings_ms.total</c>), nearest-rank percentiles; null with no timings.</param>
internal sealed record UsageGroup(
    string Key, int Suggestions, int ModelCalls, long InputTokens, long OutputTokens, decimal CostUsd, double? LatencyP50Ms, double? LatencyP95Ms);

/// <summary>What the pipeline cost and how fast it was: tokens, cost and latency percentiles, grouped.</summary>
internal sealed record UsageReport(string? From, string? To, string By, IReadOnlyList<UsageGroup> Groups, UsageGroup Total)
{
    public static readonly string[] Groupings = ["intent", "model", "day", "week"];

    public static UsageReport Build(IReadOnlyList<SuggestionFact> facts, DateOnly? from, DateOnly? to, string by)
    {
        var groups = facts
            .GroupBy(f => KeyOf(f, by), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(g.Key, g.ToList()))
            .ToList();
        if (by is "day" or "week")
        {
            // A trend shows a day or week without suggestions as zero instead of leaving it out.
            var (first, last) = facts.Count == 0 ? ((DateTimeOffset?)null, (DateTimeOffset?)null) : (facts.Min(f => f.CreatedAt), facts.Max(f => f.CreatedAt));
            var keys = by == "week" ? ReportGroupings.WeeksBetween(first, last, from, to) : DaysBetween(first, last, from, to);
            var present = groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            groups = groups.Concat(keys.Where(k => !present.Contains(k)).Select(k => Group(k, []))).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        }
        return new UsageReport(AcceptanceReport.Day(from), AcceptanceReport.Day(to), by, groups, Group(AcceptanceReport.TotalKey, facts));
    }

    private static string KeyOf(SuggestionFact f, string by) => by switch
    {
        "intent" => f.Intent ?? ReportGroupings.None,
        "model" => f.ModelName,
        "day" => f.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "week" => ReportGroupings.WeekOf(f.CreatedAt),
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown grouping."),
    };

    /// <summary>Longest run of days filled in (about a year); a longer window shows only the days with data.</summary>
    public const int MaxFilledDays = 366;

    private static IReadOnlyList<string> DaysBetween(DateTimeOffset? first, DateTimeOffset? last, DateOnly? from, DateOnly? to)
    {
        var start = from ?? (first is { } f ? DateOnly.FromDateTime(f.UtcDateTime) : null);
        var end = to ?? (last is { } l ? DateOnly.FromDateTime(l.UtcDateTime) : null);
        if (start is not { } s || end is not { } e || e < s)
            return [];
        if (e.DayNumber - s.DayNumber >= MaxFilledDays)
            return from is null && to is null ? [] : DaysBetween(first, last, null, null);
        return Enumerable.Range(0, e.DayNumber - s.DayNumber + 1).Select(i => s.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
    }

    public static UsageGroup Group(string key, IReadOnlyCollection<SuggestionFact> facts)
    {
        var latencies = facts.Where(f => f.TotalMs is not null).Select(f => f.TotalMs!.Value).Order().ToList();
        return new UsageGroup(
            key, facts.Count, facts.Sum(f => f.ModelCalls), facts.Sum(f => f.InputTokens), facts.Sum(f => f.OutputTokens),
            facts.Sum(f => f.CostUsd), Percentile(latencies, 0.50), Percentile(latencies, 0.95));
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(Percentiles.NearestRank(sorted, p), 3);

    public static readonly string[] Columns =
        ["key", "suggestions", "model_calls", "input_tokens", "output_tokens", "cost_usd", "latency_p50_ms", "latency_p95_ms"];

    public static string[] Cells(UsageGroup g) =>
    [
        g.Key, ReportCsv.Cell(g.Suggestions), ReportCsv.Cell(g.ModelCalls), ReportCsv.Cell(g.InputTokens), ReportCsv.Cell(g.OutputTokens),
        ReportCsv.Cell(g.CostUsd), ReportCsv.Cell(g.LatencyP50Ms), ReportCsv.Cell(g.LatencyP95Ms),
    ];

    public string ToCsv() => ReportCsv.Write(Columns, Groups.Append(Total).Select(Cells));
}
