using System.Globalization;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// One value of a trend or column chart. <see cref="Short"/> is what the axis shows under the point ("W10", "03-04"),
/// <see cref="Label"/> the full name the description and tooltip give ("2026-W10"), <see cref="Text"/> the value as
/// a person reads it ("67% of 12", "$0.42"); <see cref="Value"/> null means no data (a gap in the line, no column).
/// </summary>
internal sealed record ChartValue(string Label, string Short, double? Value, string Text);

/// <summary>
/// Charts over time with any unit (counts, tokens, dollars, rates), for the reports page: a line with a gap where there is
/// no data, or columns. Drawn in a 400-unit-wide viewBox that scales down to a 390 px phone; axis labels are thinned out
/// so that none overlaps another, and values are written above the points only when there is room for them (the
/// tooltip, the description and the table beside each chart always have every value).
/// </summary>
internal static partial class SvgCharts
{
    private const int TrendHeight = 190, TrendTop = 22, TrendBottom = 30, TrendLeft = 58, TrendRight = 24;

    /// <summary>Width of one character of these charts' 13 px font (console.css), rounded up, for deciding what fits.</summary>
    private const double CharWidth = 8;

    /// <summary>A line over time; <paramref name="max"/> is the top of the value axis (1 for rates), labelled with <paramref name="axis"/>.</summary>
    public static Html Trend(string id, string title, IReadOnlyList<ChartValue> points, double max, Func<double, string> axis)
    {
        var plotW = Width - TrendLeft - TrendRight;
        var step = points.Count <= 1 ? plotW : (double)plotW / (points.Count - 1);
        double X(int i) => Math.Round(TrendLeft + (points.Count <= 1 ? plotW / 2.0 : i * step), 1);
        double Y(double v) => Math.Round(TrendTop + (1 - Math.Clamp(v / max, 0, 1)) * (TrendHeight - TrendTop - TrendBottom), 1);
        var segments = new List<string>();
        var pen = "M";
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is not { } v)
            {
                pen = "M"; // no data that week: the line stops instead of drawing through it
                continue;
            }
            segments.Add(string.Create(CultureInfo.InvariantCulture, $"{pen}{X(i)},{Y(v)}"));
            pen = "L";
        }
        var valuesFit = points.Count <= 1 || step >= points.Max(p => p.Text.Length) * CharWidth + 4;
        var every = LabelEvery(points, step);
        return Html.Of($"""
            <svg class="chart trend" id="{id}" tabindex="0" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {TrendHeight}" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{Describe(points)}</desc>
            {ValueAxis(max, axis, TrendTop, TrendHeight - TrendBottom)}
            {Html.When(segments.Count > 0, Html.Of($"""<path class="line" d="{string.Join(" ", segments)}"/>"""))}
            {Html.Join(points.Select((p, i) => (p, i)), x => Html.Of($"""
                <g class="point">{(x.p.Value is { } v ? Html.Of($"""<circle cx="{X(x.i)}" cy="{Y(v)}" r="3.5"><title>{x.p.Label}: {x.p.Text}</title></circle>{Html.When(valuesFit, Html.Of($"""<text class="value" x="{X(x.i)}" y="{Y(v) - 7}" text-anchor="middle">{x.p.Text}</text>"""))}""") : Html.Empty)}{AxisLabel(x.p, x.i, every, points.Count, X(x.i))}</g>
                """))}
            {Html.When(points.Count == 0, Html.Of($"""<text x="{TrendLeft}" y="{TrendHeight / 2}">No data yet.</text>"""))}
            </svg>
            """);
    }

    /// <summary>Columns over time (counts, tokens, cost), from zero to <paramref name="max"/> (rounded up to a round number when 0).</summary>
    public static Html Columns(string id, string title, IReadOnlyList<ChartValue> points, Func<double, string> axis, double max = 0)
    {
        if (max <= 0)
            max = RoundUp(points.Select(p => p.Value ?? 0).DefaultIfEmpty(0).Max());
        var plotW = Width - TrendLeft - TrendRight;
        var slot = points.Count == 0 ? plotW : (double)plotW / points.Count;
        var barW = Math.Round(Math.Max(1, slot * 0.7), 1);
        double X(int i) => Math.Round(TrendLeft + slot * i + slot / 2, 1);
        double Y(double v) => Math.Round(TrendTop + (1 - Math.Clamp(v / max, 0, 1)) * (TrendHeight - TrendTop - TrendBottom), 1);
        var baseline = TrendHeight - TrendBottom;
        var valuesFit = points.Count > 0 && slot >= points.Max(p => p.Text.Length) * CharWidth + 2;
        var every = LabelEvery(points, slot);
        return Html.Of($"""
            <svg class="chart columns" id="{id}" tabindex="0" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {TrendHeight}" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{Describe(points)}</desc>
            {ValueAxis(max, axis, TrendTop, baseline)}
            {Html.Join(points.Select((p, i) => (p, i)), x => Html.Of($"""
                <g class="column">{(x.p.Value is { } v && v > 0 ? Html.Of($"""<rect class="bar" x="{Math.Round(X(x.i) - barW / 2, 1)}" y="{Y(v)}" width="{barW}" height="{Math.Round(baseline - Y(v), 1)}"><title>{x.p.Label}: {x.p.Text}</title></rect>""") : Html.Empty)}{Html.When(valuesFit && x.p.Value is not null, Html.Of($"""<text class="value" x="{X(x.i)}" y="{Y(x.p.Value ?? 0) - 4}" text-anchor="middle">{x.p.Text}</text>"""))}{AxisLabel(x.p, x.i, every, points.Count, X(x.i))}</g>
                """))}
            {Html.When(points.Count == 0, Html.Of($"""<text x="{TrendLeft}" y="{TrendHeight / 2}">No data yet.</text>"""))}
            </svg>
            """);
    }

    /// <summary>
    /// Horizontal bars for rates (0–1), one row per point: the label above its bar, the value after it, sized for the 13 px
    /// font of these charts so that at 390 px the text stays readable and inside the chart (long labels are cut with "…",
    /// the whole label is in the tooltip, the description and the table).
    /// </summary>
    public static Html RateBars(string id, string title, IReadOnlyList<ChartPoint> points)
    {
        const int row = 44;
        var texts = points.Select(p => $"{Percent(p.Value)} {p.Note}".TrimEnd()).ToList();
        var valueWidth = (int)Math.Ceiling(texts.Select(t => t.Length).DefaultIfEmpty(4).Max() * CharWidth) + 8;
        var barSpace = Math.Max(40, Width - valueWidth);
        var maxLabel = (int)(Width / CharWidth) - 1;
        var height = Math.Max(1, points.Count) * row + 6;
        return Html.Of($"""
            <svg class="chart rate-bars" id="{id}" tabindex="0" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {height}" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{Describe(points)}</desc>
            {Html.Join(points.Select((p, i) => (p, i)), x => Html.Of($"""
                <g class="bar-row"><text x="0" y="{x.i * row + 15}">{Truncate(x.p.Label, maxLabel)}</text>
                <rect class="bar" x="0" y="{x.i * row + 22}" width="{Math.Round(Math.Max(1, (x.p.Value ?? 0) * barSpace), 1)}" height="14" rx="2"><title>{x.p.Label}: {texts[x.i]}</title></rect>
                <text x="{Math.Round((x.p.Value ?? 0) * barSpace, 1) + 6}" y="{x.i * row + 34}">{texts[x.i]}</text></g>
                """))}
            {Html.When(points.Count == 0, Html.Of($"""<text x="0" y="20">No data yet.</text>"""))}
            </svg>
            """);
    }

    /// <summary>Show every n-th axis label so that the widest one fits in the space n points take (the last one is always shown).</summary>
    private static int LabelEvery(IReadOnlyList<ChartValue> points, double step)
    {
        if (points.Count <= 1)
            return 1;
        var widest = points.Max(p => p.Short.Length) * CharWidth + 6;
        return Math.Max(1, (int)Math.Ceiling(widest / step));
    }

    /// <summary>
    /// The label under point <paramref name="i"/>, when it is one of every <paramref name="every"/> counted back from the
    /// last point (the newest period is the one a reader looks for).
    /// </summary>
    private static Html AxisLabel(ChartValue p, int i, int every, int count, double x) =>
        Html.When((count - 1 - i) % every == 0, Html.Of($"""<text class="axis-label" x="{x}" y="{TrendHeight - 12}" text-anchor="middle">{p.Short}</text>"""));

    private static Html ValueAxis(double max, Func<double, string> axis, int top, int baseline) => Html.Of($"""
        <line class="axis" x1="{TrendLeft}" y1="{baseline}" x2="{Width - TrendRight}" y2="{baseline}"/>
        <line class="grid" x1="{TrendLeft}" y1="{top}" x2="{Width - TrendRight}" y2="{top}"/>
        <text class="axis-label" x="{TrendLeft - 4}" y="{top + 4}" text-anchor="end">{axis(max)}</text>
        <text class="axis-label" x="{TrendLeft - 4}" y="{baseline + 4}" text-anchor="end">{axis(0)}</text>
        """);

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ at or above <paramref name="value"/> (1 for nothing), so the axis reads as a round number.</summary>
    public static double RoundUp(double value)
    {
        if (value <= 0)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1, 2, 5, 10 })
        {
            if (factor * magnitude >= value - 1e-12)
                return factor * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Describe(IReadOnlyList<ChartValue> points) =>
        points.Count == 0 ? "No data yet." : string.Join("; ", points.Select(p => $"{p.Label}: {p.Text}"));

    /// <summary>A count as a person reads it on an axis: 950, 12k, 1.2M.</summary>
    public static string Compact(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0", CultureInfo.InvariantCulture) + "k",
        >= 1_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>Dollars with the precision a small model bill needs: $0.0042, $0.42, $12.40, $1,240.</summary>
    public static string Dollars(double value) => value switch
    {
        0 => "$0",
        < 0.01 => "$" + value.ToString("0.####", CultureInfo.InvariantCulture),
        < 1000 => "$" + value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => "$" + value.ToString("#,0", CultureInfo.InvariantCulture),
    };
}
