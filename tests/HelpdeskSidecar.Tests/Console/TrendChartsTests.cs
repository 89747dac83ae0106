using System.Globalization;
using System.Text.RegularExpressions;
using HelpdeskSidecar.WebConsole;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary>The trend charts' arithmetic and the overview tiles' wording, on values built here.</summary>
public partial class TrendChartsTests
{
    [TestCase(0, 1)]
    [TestCase(1, 1)]
    [TestCase(12, 20)]
    [TestCase(4500, 5000)]
    [TestCase(0.0045, 0.005)]
    [TestCase(0.012, 0.02)]
    public void RoundUp_GivesTheNextOneTwoOrFive(double value, double expected) =>
        Assert.That(SvgCharts.RoundUp(value), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void Trend_WeekWithoutData_BreaksTheLine_AndHasNoPoint()
    {
        ChartValue[] points = [new("2026-W10", "W10", 0.5, "50%"), new("2026-W11", "W11", null, "—"), new("2026-W12", "W12", 1.0, "100%")];

        var svg = SvgCharts.Trend("t", "Acceptance by week", points, 1, v => SvgCharts.Percent(v)).Value;

        var path = PathData().Match(svg).Groups[1].Value;
        Assert.That(path.Count(c => c == 'M'), Is.EqualTo(2), "a new stroke after the empty week: " + path);
        Assert.That(path.Count(c => c == 'L'), Is.EqualTo(0));
        Assert.That(Regex.Count(svg, "<circle"), Is.EqualTo(2));
        Assert.That(svg, Does.Contain("tabindex=\"0\"").And.Contain("<title id=\"t-title\">Acceptance by week</title>"));
        Assert.That(svg, Does.Contain("2026-W11: —"), "the description names the empty week");
    }

    [TestCase(4)]
    [TestCase(26)]
    [TestCase(104)]
    public void Trend_ManyWeeks_AxisLabelsThinnedSoNoneOverlaps_NewestAlwaysShown(int count)
    {
        var points = Enumerable.Range(1, count).Select(i => new ChartValue($"w{i}", $"W{i % 53:00}", 0.5, "50%")).ToList();

        var svg = SvgCharts.Trend("t", "T", points, 1, v => SvgCharts.Percent(v)).Value;

        var labels = AxisLabels().Matches(svg).Select(m => (X: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Text: m.Groups[2].Value)).ToList();
        var under = labels.Where(l => l.Text.StartsWith('W')).ToList();
        Assert.That(under, Is.Not.Empty);
        Assert.That(under[^1].Text, Is.EqualTo(points[^1].Short), "the newest week is labelled");
        var gaps = under.Zip(under.Skip(1), (a, b) => b.X - a.X).ToList();
        Assert.That(gaps, Has.All.GreaterThanOrEqualTo(3 * 8 + 4), "each label has room for its three characters at 8 units each");
        Assert.That(Regex.Count(svg, "class=\"value\""), Is.EqualTo(count <= 4 ? count : 0), "values written above the points only when they fit");
    }

    [Test]
    public void Columns_ScaleToARoundMaximum_AndSkipZeroColumns()
    {
        ChartValue[] points = [new("a", "a", 0, "$0"), new("b", "b", 0.0042, "$0.0042"), new("c", "c", 0.0018, "$0.0018")];

        var svg = SvgCharts.Columns("c", "Cost", points, SvgCharts.Dollars).Value;

        Assert.That(Regex.Count(svg, "<rect class=\"bar\""), Is.EqualTo(2));
        Assert.That(svg, Does.Contain(">$0.005</text>"), "the axis tops out at the next round number");
    }

    [Test]
    public void Change_SaysDirectionAndAmountInWords()
    {
        Assert.That(OverviewPage.Count(3, 1, "draft"), Is.EqualTo(new OverviewPage.Change(1, "↑ 2 more drafts than the 7 days before (1)")));
        Assert.That(OverviewPage.Count(1, 2, "gap"), Is.EqualTo(new OverviewPage.Change(-1, "↓ 1 fewer gap than the 7 days before (2)")));
        Assert.That(OverviewPage.Count(2, 2, "gap").Sign, Is.EqualTo(0));
        Assert.That(OverviewPage.Points(0.70, 0.75), Is.EqualTo(new OverviewPage.Change(-1, "↓ 5 points (down from 75%)")));
        Assert.That(OverviewPage.Points(0.5, null).Sign, Is.Null, "nothing to compare with");
        Assert.That(OverviewPage.Money(0.5m, 0.25m).Text, Is.EqualTo("↑ $0.25 more than the 7 days before ($0.25)"));
    }

    [GeneratedRegex("<path class=\"line\" d=\"([^\"]*)\"")]
    private static partial Regex PathData();

    [GeneratedRegex("<text class=\"axis-label\" x=\"([0-9.]+)\"[^>]*>([^<]*)</text>")]
    private static partial Regex AxisLabels();
}
