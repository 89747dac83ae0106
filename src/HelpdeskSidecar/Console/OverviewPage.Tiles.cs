using System.Globalization;
using HelpdeskSidecar.Reports;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// The overview's headline tiles: drafts, acceptance, insertion rate, knowledge gaps and model cost over the last 7 days
/// (today included), each with its change against the 7 days before, written out ("↑ 3 more than the week before",
/// "↓ 5 points") so the direction never rests on colour alone.
/// </summary>
internal static partial class OverviewPage
{
    private static Html Tiles(OverviewReport report)
    {
        if (report.Last7Days is not { } now || report.Previous7Days is not { } before)
            return Html.Empty;
        return Html.Of($"""
            <section aria-labelledby="tiles-heading" id="overview-tiles">
            <h2 id="tiles-heading">Last 7 days <span class="muted">({now.From} to {now.To}, UTC), against the 7 days before</span></h2>
            <div class="cards">
              {Tile("drafts", "Drafts", Html.Of($"{now.Drafts}"), Count(now.Drafts, before.Drafts, "draft"), Good.Neither)}
              {Tile("acceptance", "Acceptance", Html.Of($"{SvgCharts.Percent(now.AcceptanceRate)}"), Points(now.AcceptanceRate, before.AcceptanceRate), Good.Up)}
              {Tile("insertion", "Inserted into a reply", Html.Of($"{SvgCharts.Percent(now.InsertionRate)}"), Points(now.InsertionRate, before.InsertionRate), Good.Up)}
              {Tile("gaps", "Knowledge gaps", Html.Of($"{now.KnowledgeGaps}"), Count(now.KnowledgeGaps, before.KnowledgeGaps, "gap"), Good.Down)}
              {Tile("cost", "Model cost", Html.Of($"{SvgCharts.Dollars((double)now.CostUsd)}"), Money(now.CostUsd, before.CostUsd), Good.Neither)}
            </div>
            <p class="muted"><a href="/console/reports#report-week">Trends by week</a> · <a href="/console/reports#report-usage">Tokens and cost</a></p>
            </section>
            """);
    }

    private enum Good { Up, Down, Neither }

    /// <summary>A change: its sign (-1, 0, 1, or null when either side has no data) and how it reads.</summary>
    internal sealed record Change(int? Sign, string Text);

    internal static Change Count(int now, int before, string noun)
    {
        var diff = now - before;
        return diff == 0 ? new Change(0, "→ same as the 7 days before")
            : new Change(Math.Sign(diff), string.Create(CultureInfo.InvariantCulture, $"{(diff > 0 ? "↑" : "↓")} {Math.Abs(diff)} {(diff > 0 ? "more" : "fewer")} {noun}{(Math.Abs(diff) == 1 ? "" : "s")} than the 7 days before ({before})"));
    }

    /// <summary>Rates change in percentage points; a side without data (no verdicts, no drafts) makes no comparison.</summary>
    internal static Change Points(double? now, double? before)
    {
        if (now is not { } n || before is not { } b)
            return new Change(null, before is null ? "no figure for the 7 days before" : "no figure yet");
        var diff = (int)Math.Round((n - b) * 100, MidpointRounding.AwayFromZero);
        return diff == 0 ? new Change(0, $"→ same as the 7 days before ({SvgCharts.Percent(b)})")
            : new Change(Math.Sign(diff), string.Create(CultureInfo.InvariantCulture, $"{(diff > 0 ? "↑" : "↓")} {Math.Abs(diff)} {(Math.Abs(diff) == 1 ? "point" : "points")} ({(diff > 0 ? "up" : "down")} from {SvgCharts.Percent(b)})"));
    }

    internal static Change Money(decimal now, decimal before)
    {
        var diff = now - before;
        return diff == 0 ? new Change(0, "→ same as the 7 days before")
            : new Change(Math.Sign(diff), $"{(diff > 0 ? "↑" : "↓")} {SvgCharts.Dollars((double)Math.Abs(diff))} {(diff > 0 ? "more" : "less")} than the 7 days before ({SvgCharts.Dollars((double)before)})");
    }

    private static Html Tile(string id, string label, Html value, Change change, Good good)
    {
        // Colour only repeats what the arrow and the words say: green where the change is good, red where it is not.
        var tone = change.Sign is null or 0 || good == Good.Neither ? "flat" : (change.Sign > 0) == (good == Good.Up) ? "better" : "worse";
        return Html.Of($"""
            <div class="card tile" id="tile-{id}"><div class="value">{value}</div><div class="label">{label}</div><div class="change {tone}" id="tile-{id}-change">{change.Text}</div></div>
            """);
    }
}
