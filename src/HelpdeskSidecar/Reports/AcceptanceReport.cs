using System.Globalization;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Reports;

/// <summary>What a report groups suggestions by.</summary>
internal static class ReportGroupings
{
    public static readonly string[] All = ["intent", "agent", "brand", "week", "tag"];

    public const string None = "(none)";

    /// <summary>The keys a suggestion counts under: one, except for <c>tag</c>, where it counts once per predicted tag.</summary>
    public static IEnumerable<string> KeysOf(AcceptanceFact f, string by) => by switch
    {
        "intent" => [f.Intent ?? None],
        "agent" => [f.AgentId ?? None],
        "brand" => [f.BrandId ?? None],
        "week" => [WeekOf(f.CreatedAt)],
        "tag" => f.Tags.Count == 0 ? [None] : f.Tags.Distinct(StringComparer.Ordinal),
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown grouping."),
    };

    /// <summary>The ISO 8601 week (UTC) of an instant, as <c>2026-W10</c>.</summary>
    public static string WeekOf(DateTimeOffset at) =>
        FormattableString.Invariant($"{ISOWeek.GetYear(at.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(at.UtcDateTime):00}");

    /// <summary>Longest run of weeks filled in for a trend (about five years); a longer window shows only the weeks with data.</summary>
    public const int MaxFilledWeeks = 262;

    /// <summary>
    /// Every ISO week from the window's first to its last (the data's first and last where the window is open), so a
    /// trend shows a week without drafts as a week without drafts instead of leaving it out.
    /// </summary>
    public static IReadOnlyList<string> WeeksBetween(DateTimeOffset? first, DateTimeOffset? last, DateOnly? from, DateOnly? to)
    {
        var start = from is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : first;
        var end = to is { } t ? new DateTimeOffset(t.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : last;
        if (start is null || end is null || end < start)
            return [];
        var monday = start.Value.UtcDateTime.Date.AddDays(-(((int)start.Value.UtcDateTime.DayOfWeek + 6) % 7));
        var weeks = new List<string>();
        for (var day = monday; day <= end.Value.UtcDateTime && weeks.Count <= MaxFilledWeeks; day = day.AddDays(7))
            weeks.Add(WeekOf(new DateTimeOffset(day, TimeSpan.Zero)));
        return weeks.Count > MaxFilledWeeks ? (from is null && to is null ? [] : WeeksBetween(first, last, null, null)) : weeks;
    }
}

/// <param name="Pending">Drafts with no verdict yet (nobody has answered); counted in no other column. Superseded drafts (a newer
/// customer message got its own suggestion first) were never in play and are counted nowhere.</param>
/// <param name="Suggestions">Drafts with a verdict: sent_as_is + edited + rejected + no_reply.</param>
/// <param name="Drafts">Every draft in the group, whatever became of it: what the helpdesk apps could show an agent.</param>
/// <param name="InsertionRate">inserted / drafts: how often an agent put the draft into the reply box; null without drafts.</param>
internal sealed record AcceptanceGroup(
    string Key, int Suggestions, int SentAsIs, int Edited, int Rejected, int NoReply, int Pending, double? AcceptanceRate, double? MedianSimilarity,
    int Inserted = 0, int InsertedSentAsIs = 0, int InsertedEdited = 0, int Drafts = 0, double? InsertionRate = null);

internal sealed record AcceptanceReport(string? From, string? To, string By, IReadOnlyList<AcceptanceGroup> Groups, AcceptanceGroup Total)
{
    public const string TotalKey = "(total)";

    /// <param name="labels">Names for agent and brand ids ("agent:5002" → "Priya Nair", <see cref="Helpdesks.HelpdeskNames"/>):
    /// a group is still one id, shown by its name when there is one and by its id when not.</param>
    public static AcceptanceReport Build(IReadOnlyList<AcceptanceFact> facts, DateOnly? from, DateOnly? to, string by,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        string Label(string key) => by is "agent" or "brand" && labels?.GetValueOrDefault($"{by}:{key}") is { } name ? name : key;
        var groups = facts
            .SelectMany(f => ReportGroupings.KeysOf(f, by).Select(k => (Key: k, Fact: f)))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .Select(g => Group(Label(g.Key), g.Select(x => x.Fact).ToList()))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (by == "week")
        {
            var present = groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            var weeks = ReportGroupings.WeeksBetween(facts.Count == 0 ? null : facts.Min(f => f.CreatedAt), facts.Count == 0 ? null : facts.Max(f => f.CreatedAt), from, to);
            groups = groups.Concat(weeks.Where(w => !present.Contains(w)).Select(w => Group(w, []))).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        }
        return new AcceptanceReport(Day(from), Day(to), by, groups, Group(TotalKey, facts));
    }

    /// <summary>acceptance_rate = (sent_as_is + edited) / (suggestions − no_reply), null when nothing was answered.</summary>
    public static AcceptanceGroup Group(string key, IReadOnlyCollection<AcceptanceFact> facts)
    {
        int Count(string verdict) => facts.Count(f => f.Verdict == verdict);
        var sent = Count(Verdicts.SentAsIs);
        var edited = Count(Verdicts.Edited);
        var rejected = Count(Verdicts.Rejected);
        var noReply = Count(Verdicts.NoReply);
        var decided = sent + edited + rejected + noReply;
        var answered = decided - noReply;
        var similarities = facts
            .Where(f => f.Verdict is Verdicts.SentAsIs or Verdicts.Edited or Verdicts.Rejected && f.Similarity is not null)
            .Select(f => f.Similarity!.Value).Order().ToList();
        return new AcceptanceGroup(key, decided, sent, edited, rejected, noReply, facts.Count(f => f.Verdict is null),
            answered == 0 ? null : Math.Round((double)(sent + edited) / answered, 4),
            Median(similarities),
            facts.Count(f => f.Inserted), facts.Count(f => f.Inserted && f.Verdict == Verdicts.SentAsIs),
            facts.Count(f => f.Inserted && f.Verdict == Verdicts.Edited),
            facts.Count, facts.Count == 0 ? null : Math.Round((double)facts.Count(f => f.Inserted) / facts.Count, 4));
    }

    private static double? Median(IReadOnlyList<double> sorted)
    {
        if (sorted.Count == 0)
            return null;
        var mid = sorted.Count / 2;
        return Math.Round(sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 4);
    }

    internal static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static readonly string[] Columns =
        ["key", "suggestions", "sent_as_is", "edited", "rejected", "no_reply", "pending", "acceptance_rate", "median_similarity",
         "inserted", "inserted_sent_as_is", "inserted_edited", "drafts", "insertion_rate"];

    public static string[] Cells(AcceptanceGroup g) =>
    [
        g.Key, ReportCsv.Cell(g.Suggestions), ReportCsv.Cell(g.SentAsIs), ReportCsv.Cell(g.Edited), ReportCsv.Cell(g.Rejected), ReportCsv.Cell(g.NoReply),
        ReportCsv.Cell(g.Pending), ReportCsv.Cell(g.AcceptanceRate), ReportCsv.Cell(g.MedianSimilarity),
        ReportCsv.Cell(g.Inserted), ReportCsv.Cell(g.InsertedSentAsIs), ReportCsv.Cell(g.InsertedEdited),
        ReportCsv.Cell(g.Drafts), ReportCsv.Cell(g.InsertionRate),
    ];

    /// <summary>RFC 4180: a header, one row per group, then the total.</summary>
    public string ToCsv() => ReportCsv.Write(Columns, Groups.Append(Total).Select(Cells));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(AcceptanceReport))]
[JsonSerializable(typeof(TagPrecisionReport))]
[JsonSerializable(typeof(GapsReport))]
[JsonSerializable(typeof(GapTrendReport))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(OverviewReport))]
[JsonSerializable(typeof(RoutePrecisionReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
