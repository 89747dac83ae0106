using HelpdeskSidecar.Reports.Themes;

namespace HelpdeskSidecar.Tests.Reports.Themes;

/// <summary>The rising rule on its own, with the grouping given: counts per week decide, at the thresholds' edges.</summary>
public class ThemesReportBuildTests
{
    private static readonly DateOnly To = new(2026, 3, 4); // Wednesday of 2026-W10
    private static readonly DateOnly From = new(2026, 2, 2); // Monday of 2026-W06

    /// <summary>One theme (cluster 0) with <paramref name="weekly"/> messages in W06..W10, plus a steady other theme (cluster 1).</summary>
    private static ThemesReport Build(int[] weekly, ThemesOptions? options = null)
    {
        var messages = new List<ThemeMessage>();
        var labels = new List<int>();
        for (var w = 0; w < weekly.Length; w++)
        {
            var monday = From.AddDays(7 * w).ToDateTime(TimeOnly.MinValue);
            for (var i = 0; i < weekly[w]; i++)
            {
                messages.Add(new ThemeMessage($"a{w}-{i}", new DateTimeOffset(monday.AddHours(i), TimeSpan.Zero), "Draft", "parcel strike", null));
                labels.Add(0);
            }
            messages.Add(new ThemeMessage($"b{w}", new DateTimeOffset(monday, TimeSpan.Zero), "KnowledgeGap", "password reset", null));
            labels.Add(1);
        }
        var grouping = new ThemeGrouping([.. labels], [["parcel", "strike"], ["password", "reset"]]);
        return ThemesReport.Build(messages, grouping, From, To, "test", options ?? new ThemesOptions());
    }

    [TestCase(new[] { 2, 2, 2, 2, 4 }, false, TestName = "Build_TwiceTheBaselineButUnderTheMinimumCount_NotRising")]
    [TestCase(new[] { 2, 3, 2, 3, 5 }, true, TestName = "Build_AtTwiceTheBaselineAndTheMinimum_Rising")]
    [TestCase(new[] { 3, 3, 3, 3, 5 }, false, TestName = "Build_AboveTheMinimumButUnderTwiceTheBaseline_NotRising")]
    [TestCase(new[] { 0, 0, 0, 0, 5 }, true, TestName = "Build_NewThemeOfFive_RisingAgainstABaselineCountedAsOne")]
    public void Build_RisingRule(int[] weekly, bool rising)
    {
        var report = Build(weekly);
        var theme = report.Themes.Single(t => t.Words[0] == "parcel");
        Assert.That(theme.Weekly, Is.EqualTo(weekly));
        Assert.That(theme.Rising, Is.EqualTo(rising));
        Assert.That(report.Themes.Single(t => t.Words[0] == "password").Rising, Is.False);
        Assert.That(report.Rising, rising ? Is.EqualTo(new[] { "parcel · strike" }) : Is.Empty);
    }

    [Test]
    public void Build_FirstWeekOfData_NothingRises_ThereIsNoBaseline()
    {
        var report = ThemesReport.Build(
            [.. Enumerable.Range(0, 9).Select(i => new ThemeMessage($"m{i}", new DateTimeOffset(2026, 3, 2, i, 0, 0, TimeSpan.Zero), "Draft", "parcel strike", null))],
            new ThemeGrouping(new int[9], [["parcel", "strike"]]), From, To, "test", new ThemesOptions());
        Assert.That(report.Themes.Single().Current, Is.EqualTo(9));
        Assert.That(report.Rising, Is.Empty);
    }

    [Test]
    public void Build_SharesAndSmallGroups()
    {
        var options = new ThemesOptions { MinThemeSize = 6 };
        var report = Build([1, 1, 1, 1, 1], options);
        Assert.That(report.Other, Is.EqualTo(10));
        Assert.That(report.Themes, Is.Empty, "5 messages each: both under a minimum of 6");
        var password = Build([1, 1, 1, 1, 1]).Themes.Single(t => t.Words[0] == "password");
        Assert.That(password.GapShare, Is.EqualTo(1.0));
        Assert.That(password.Share, Is.EqualTo(0.5));
    }
}
