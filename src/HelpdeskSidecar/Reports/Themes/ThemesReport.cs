using System.Globalization;
using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>One theme of a window: what it is about, how big, how it moved week by week, and how the sidecar fared on it.</summary>
/// <param name="Key">The theme's words joined (stable for the same words): what a webhook is deduplicated by.</param>
/// <param name="Weekly">Messages per ISO week of <see cref="ThemesReport.Weeks"/>, oldest first.</param>
/// <param name="Examples">Up to N distinct redacted excerpts, newest first (placeholders, never PII); empty for a role that may not read them.</param>
/// <param name="GapShare">Share of its messages that were knowledge gaps.</param>
/// <param name="EscalationShare">Share that policy handed to a human (escalations).</param>
/// <param name="AcceptanceRate">Of its drafts with an answer: (sent as is + edited) / answered, as the acceptance report.</param>
/// <param name="Baseline">Mean messages per week over the baseline weeks before the current one.</param>
internal sealed record Theme(
    string Key, string Name, IReadOnlyList<string> Words, int Count, double Share, IReadOnlyList<int> Weekly, IReadOnlyList<string> Examples,
    int Gaps, double GapShare, int Escalations, double EscalationShare, int Drafts, int Accepted, double? AcceptanceRate,
    bool Rising, double Baseline, int Current);

/// <summary>
/// <c>report themes</c> / <c>GET /api/reports/themes</c>: the customer messages of a window grouped into themes (largest
/// first), with each one's weekly trend; a theme is <em>rising</em> when its current week reaches
/// <see cref="ThemesOptions.RisingFactor"/> times its own baseline and at least <see cref="ThemesOptions.RisingMinCount"/> messages.
/// </summary>
/// <param name="Other">Messages in groups smaller than <see cref="ThemesOptions.MinThemeSize"/>.</param>
internal sealed record ThemesReport(
    string From, string To, int Messages, string Encoder, IReadOnlyList<string> Weeks, IReadOnlyList<Theme> Themes, int Other, IReadOnlyList<string> Rising)
{
    public static ThemesReport Build(IReadOnlyList<ThemeMessage> messages, ThemeGrouping grouping, DateOnly from, DateOnly to, string encoder, ThemesOptions options)
    {
        var weekStarts = WeekStarts(from, to);
        var weeks = weekStarts.Select(Label).ToList();
        var themes = new List<Theme>();
        var other = 0;
        // Rising needs a baseline: some messages in the weeks before the current one (a sidecar installed this week has none).
        var baselineStart = weekStarts.Count < 2 ? to : weekStarts[Math.Max(0, weekStarts.Count - 1 - options.BaselineWeeks)];
        var hasBaseline = messages.Any(m => DateOnly.FromDateTime(m.CreatedAt.UtcDateTime) is var day && day >= baselineStart && day < weekStarts[^1]);
        for (var c = 0; c < grouping.Count; c++)
        {
            var members = messages.Where((_, i) => grouping.Labels[i] == c).ToList();
            if (members.Count < options.MinThemeSize)
            {
                other += members.Count;
                continue;
            }
            themes.Add(ThemeOf(members, grouping.Words[c], messages.Count, weekStarts, hasBaseline, options));
        }
        return new ThemesReport(Day(from), Day(to), messages.Count, encoder, weeks, themes, other,
            themes.Where(t => t.Rising).Select(t => t.Name).ToList());
    }

    private static Theme ThemeOf(List<ThemeMessage> members, IReadOnlyList<string> words, int total, List<DateOnly> weekStarts, bool hasBaseline, ThemesOptions options)
    {
        var weekly = weekStarts.Select(start => members.Count(m => WeekStart(DateOnly.FromDateTime(m.CreatedAt.UtcDateTime)) == start)).ToList();
        var current = weekly[^1];
        var before = weekly.Take(weekly.Count - 1).TakeLast(options.BaselineWeeks).ToList();
        var baseline = before.Count == 0 ? 0 : before.Average();
        // With no week before the current one (or no messages in them at all) there is no baseline to jump against.
        var rising = hasBaseline && before.Count > 0 && current >= options.RisingMinCount && current >= options.RisingFactor * Math.Max(1, baseline);
        var gaps = members.Count(m => m.Kind == nameof(SuggestionKind.KnowledgeGap));
        var escalations = members.Count(m => m.Kind == nameof(SuggestionKind.Escalation));
        var drafts = members.Select(m => m.Draft).OfType<AcceptanceFact>().ToList();
        var acceptance = AcceptanceReport.Group(ThemeNaming.Label(words), drafts);
        var examples = members
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal)
            .Select(m => m.Question).Distinct(StringComparer.OrdinalIgnoreCase).Take(options.Examples).ToList();
        var label = ThemeNaming.Label(words);
        return new Theme(string.Join('-', words), label, words, members.Count, Round((double)members.Count / total), weekly, examples,
            gaps, Round((double)gaps / members.Count), escalations, Round((double)escalations / members.Count),
            drafts.Count, acceptance.SentAsIs + acceptance.Edited, acceptance.AcceptanceRate, rising, Round(baseline), current);
    }

    /// <summary>What an ops lead without the Reports role sees: the rising themes, their counts and trend, no customer text or acceptance.</summary>
    public ThemesReport RisingOnly() => this with
    {
        Themes = Themes.Where(t => t.Rising).Select(t => t with { Examples = [], Drafts = 0, Accepted = 0, AcceptanceRate = null }).ToList(),
    };

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static string Label(DateOnly weekStart)
    {
        var at = weekStart.ToDateTime(TimeOnly.MinValue);
        return FormattableString.Invariant($"{ISOWeek.GetYear(at)}-W{ISOWeek.GetWeekOfYear(at):00}");
    }

    private static List<DateOnly> WeekStarts(DateOnly from, DateOnly to)
    {
        var starts = new List<DateOnly>();
        for (var week = WeekStart(from); week <= to; week = week.AddDays(7))
            starts.Add(week);
        return starts;
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string[] Columns => ["theme", "count", "share", "gaps", "gap_share", "escalations", "escalation_share", "drafts", "accepted", "acceptance_rate", "rising", "baseline", .. Weeks, "examples"];

    public static string[] Cells(Theme t) =>
        [t.Name, ReportCsv.Cell(t.Count), ReportCsv.Cell(t.Share), ReportCsv.Cell(t.Gaps), ReportCsv.Cell(t.GapShare), ReportCsv.Cell(t.Escalations),
         ReportCsv.Cell(t.EscalationShare), ReportCsv.Cell(t.Drafts), ReportCsv.Cell(t.Accepted), ReportCsv.Cell(t.AcceptanceRate),
         t.Rising ? "yes" : "no", ReportCsv.Cell(t.Baseline), .. t.Weekly.Select(ReportCsv.Cell), string.Join(" | ", t.Examples)];

    /// <summary>One row per theme (largest first); a column per week; examples joined with <c> | </c>.</summary>
    public string ToCsv() => ReportCsv.Write(Columns, Themes.Select(Cells));
}
