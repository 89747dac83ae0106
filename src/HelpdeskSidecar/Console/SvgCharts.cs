using System.Globalization;

namespace HelpdeskSidecar.WebConsole;

/// <summary>One labelled value of a chart; <see cref="Value"/> null means "no data" (drawn as a gap, labelled "—").</summary>
internal sealed record ChartPoint(string Label, double? Value, string Note);

/// <summary>
/// Charts drawn on the server as inline SVG: a <c>&lt;title&gt;</c> and a description for screen readers, every value
/// also written as text, no script. Values are fractions 0–1 shown as percentages.
/// </summary>
internal static partial class SvgCharts
{
    private const int Width = 400;

    /// <summary>Horizontal bars, one row per point: the label above its bar, "75% (n=12)" after it; narrow enough for a phone.</summary>
    public static Html Bars(string id, string title, IReadOnlyList<ChartPoint> points)
    {
        const int row = 36, valueWidth = 90;
        const int barSpace = Width - valueWidth;
        var height = Math.Max(1, points.Count) * row + 6;
        return Html.Of($"""
            <svg class="chart" id="{id}" tabindex="0" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {height}" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{Describe(points)}</desc>
            {Html.Join(points.Select((p, i) => (p, i)), x => Html.Of($"""
                <g class="bar-row"><text x="0" y="{x.i * row + 12}">{Truncate(x.p.Label, 60)}</text>
                <rect class="bar" x="0" y="{x.i * row + 17}" width="{Math.Round(Math.Max(1, (x.p.Value ?? 0) * barSpace), 1)}" height="12" rx="2"><title>{x.p.Label}: {Percent(x.p.Value)} {x.p.Note}</title></rect>
                <text x="{Math.Round((x.p.Value ?? 0) * barSpace, 1) + 6}" y="{x.i * row + 28}">{Percent(x.p.Value)} {x.p.Note}</text></g>
                """))}
            {Html.When(points.Count == 0, Html.Of($"""<text x="0" y="20">No data yet.</text>"""))}
            </svg>
            """);
    }

    /// <summary>A line over time (points in order), with a dot and a value at each point; labels under it (every few when crowded).</summary>
    public static Html Line(string id, string title, IReadOnlyList<ChartPoint> points)
    {
        const int height = 220, top = 20, bottom = 40, left = 34, right = 24;
        var plotH = height - top - bottom;
        var step = points.Count <= 1 ? 0 : (double)(Width - left - right) / (points.Count - 1);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(points.Count / 6.0));
        double X(int i) => Math.Round(left + (points.Count <= 1 ? (Width - left - right) / 2.0 : i * step), 1);
        double Y(double v) => Math.Round(top + (1 - v) * plotH, 1);
        var path = string.Join(" ", points.Select((p, i) => (p, i)).Where(x => x.p.Value is not null)
            .Select((x, n) => string.Create(CultureInfo.InvariantCulture, $"{(n == 0 ? "M" : "L")}{X(x.i)},{Y(x.p.Value!.Value)}")));
        return Html.Of($"""
            <svg class="chart" id="{id}" tabindex="0" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {height}" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{Describe(points)}</desc>
            <line class="axis" x1="{left}" y1="{top + plotH}" x2="{Width - right}" y2="{top + plotH}"/>
            <line class="axis" x1="{left}" y1="{top}" x2="{Width - right}" y2="{top}"/>
            <text x="0" y="{top + 4}">100%</text><text x="0" y="{top + plotH + 4}">0%</text>
            {Html.When(path.Length > 0, Html.Of($"""<path class="line" d="{path}"/>"""))}
            {Html.Join(points.Select((p, i) => (p, i)), x => Html.Of($"""
                <g class="point">{(x.p.Value is { } v ? Html.Of($"""<circle cx="{X(x.i)}" cy="{Y(v)}" r="4" fill="currentColor"><title>{x.p.Label}: {Percent(v)} {x.p.Note}</title></circle><text x="{X(x.i)}" y="{Y(v) - 8}" text-anchor="middle">{Percent(v)}</text>""") : Html.Empty)}
                {Html.When(x.i % labelEvery == 0, Html.Of($"""<text x="{X(x.i)}" y="{height - 18}" text-anchor="middle">{x.p.Label}</text>"""))}</g>
                """))}
            {Html.When(points.Count == 0, Html.Of($"""<text x="{left}" y="{top + plotH / 2}">No data yet.</text>"""))}
            </svg>
            """);
    }

    /// <summary>
    /// Columns of counts over time (a theme's messages per week): each column focusable and titled with its label and
    /// count, the count written above it; the last column marked <c>current</c> (and <c>rising</c> when flagged).
    /// </summary>
    public static Html CountColumns(string id, string title, IReadOnlyList<(string Label, int Count)> points, bool rising = false)
    {
        const int height = 150, top = 18, bottom = 30, left = 4;
        var plotH = height - top - bottom;
        var max = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Count));
        var slot = points.Count == 0 ? 0 : (double)(Width - left * 2) / points.Count;
        var barW = Math.Round(Math.Max(4, slot * 0.7), 1);
        // Labels counted back from the current (last) week, so it always has one and no two collide.
        var labelEvery = Math.Max(1, (int)Math.Ceiling(points.Count / 6.0));
        double X(int i) => Math.Round(left + i * slot + (slot - barW) / 2, 1);
        double H(int count) => Math.Round((double)count / max * plotH, 1);
        var description = points.Count == 0 ? "No data yet." : string.Join("; ", points.Select(p => FormattableString.Invariant($"{p.Label}: {p.Count}")));
        return Html.Of($"""
            <svg class="chart columns" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {height}" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{title}</title>
            <desc id="{id}-desc">{description}</desc>
            <line class="axis" x1="0" y1="{top + plotH}" x2="{Width}" y2="{top + plotH}"/>
            {Html.Join(points.Select((p, i) => (p, i)), x => Html.Of($"""
                <g class="column{(x.i == points.Count - 1 ? (rising ? " current rising" : " current") : "")}" tabindex="0"><title>{x.p.Label}: {x.p.Count}</title>
                <rect class="bar" x="{X(x.i)}" y="{Math.Round(top + plotH - H(x.p.Count), 1)}" width="{barW}" height="{Math.Max(0.5, H(x.p.Count))}" rx="2"/>
                <text x="{Math.Round(X(x.i) + barW / 2, 1)}" y="{Math.Round(top + plotH - H(x.p.Count) - 4, 1)}" text-anchor="middle">{x.p.Count}</text>
                {Html.When((points.Count - 1 - x.i) % labelEvery == 0, Html.Of($"""<text x="{Math.Round(X(x.i) + barW / 2, 1)}" y="{height - 10}" text-anchor="middle">{x.p.Label}</text>"""))}</g>
                """))}
            {Html.When(points.Count == 0, Html.Of($"""<text x="{left}" y="{top + plotH / 2}">No data yet.</text>"""))}
            </svg>
            """);
    }

    private static string Describe(IReadOnlyList<ChartPoint> points) =>
        points.Count == 0 ? "No data yet." : string.Join("; ", points.Select(p => $"{p.Label}: {Percent(p.Value)} {p.Note}".TrimEnd()));

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
