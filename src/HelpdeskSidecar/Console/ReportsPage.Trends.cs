using System.Globalization;
using HelpdeskSidecar.Reports;

namespace HelpdeskSidecar.WebConsole;

/// <summary>The reports page's sections over time: acceptance and insertion by week, knowledge gaps, tokens and cost.</summary>
internal static partial class ReportsPage
{
    private static Html WeekSection(AcceptanceReport report, string range)
    {
        var weeks = report.Groups.Select(g => g.Key).ToList();
        ChartValue Point(AcceptanceGroup g, int i, double? rate) => new(g.Key, ShortWeek(g.Key, i, weeks), rate, SvgCharts.Percent(rate));
        var acceptance = report.Groups.Select((g, i) => Point(g, i, g.AcceptanceRate)).ToList();
        var insertion = report.Groups.Select((g, i) => Point(g, i, g.InsertionRate)).ToList();
        return Html.Of($"""
            <section class="panel" aria-labelledby="heading-week" id="report-week">
            <h2 id="heading-week">Acceptance and insertion by week</h2>
            <p class="muted">ISO weeks, UTC. Acceptance = (sent as is + edited) / (drafts with a verdict − no reply); insertion = drafts an agent put into the reply box from the helpdesk app / drafts made. A week without drafts shows no point.</p>
            <figure class="chart-figure">
            {SvgCharts.Trend("chart-week", "Acceptance by week", acceptance, 1, v => SvgCharts.Percent(v))}
            <figcaption>Acceptance by week (<a href="#table-week">table</a>)</figcaption>
            </figure>
            <figure class="chart-figure">
            {SvgCharts.Trend("chart-insertion", "Insertion rate by week", insertion, 1, v => SvgCharts.Percent(v))}
            <figcaption>Insertion rate by week (<a href="#table-week">table</a>)</figcaption>
            </figure>
            <p><a id="csv-week" href="/api/reports/acceptance?format=csv&amp;by=week{range}" download="acceptance-by-week.csv">Download CSV (by week)</a></p>
            <div class="table-scroll"><table id="table-week"><caption>Acceptance and insertion by week</caption>
            <thead><tr><th scope="col">Week</th><th scope="col" class="num">Drafts</th><th scope="col" class="num">Acceptance</th><th scope="col" class="num">Sent as is</th><th scope="col" class="num">Edited</th><th scope="col" class="num">Rejected</th><th scope="col" class="num">Inserted</th><th scope="col" class="num">Insertion rate</th><th scope="col" class="num">Inserted → sent as is / edited</th></tr></thead>
            <tbody>{Html.Join(report.Groups.Append(report.Total), g => Html.Of($"""<tr><th scope="row">{(g.Key == AcceptanceReport.TotalKey ? "Total" : g.Key)}</th><td class="num">{g.Drafts}</td><td class="num">{SvgCharts.Percent(g.AcceptanceRate)}</td><td class="num">{g.SentAsIs}</td><td class="num">{g.Edited}</td><td class="num">{g.Rejected}</td><td class="num">{g.Inserted}</td><td class="num">{SvgCharts.Percent(g.InsertionRate)}</td><td class="num">{g.InsertedSentAsIs} / {g.InsertedEdited}</td></tr>"""))}</tbody></table></div>
            </section>
            """);
    }

    private static Html GapsSection(IReadOnlyList<SuggestionFact> facts, ReportRequest request, string range)
    {
        var weeks = GapTrend.ByWeek(facts, request.From, request.To);
        var keys = weeks.Select(w => w.Week).ToList();
        var perWeek = weeks.Select((w, i) => new ChartValue(w.Week, ShortWeek(w.Week, i, keys), w.Suggestions == 0 ? null : w.Gaps, w.Gaps.ToString(CultureInfo.InvariantCulture))).ToList();
        var byIntent = GapsReport.Build(facts, request.From, request.To, GapsReport.DefaultExamples);
        var shown = byIntent.Groups.Take(10).ToList();
        var rates = shown.Select(g => new ChartPoint(g.Intent, g.GapRate, $"({g.Gaps} of {g.Suggestions})")).ToList();
        return Html.Of($"""
            <section class="panel" aria-labelledby="heading-gaps" id="report-gaps">
            <h2 id="heading-gaps">Knowledge gaps</h2>
            <p class="muted">A gap is a ticket the copilot had no confident answer for: where the knowledge base needs an article next.</p>
            <figure class="chart-figure">
            {SvgCharts.Columns("chart-gaps-week", "Knowledge gaps per week", perWeek, SvgCharts.Compact)}
            <figcaption>Knowledge gaps per week (<a href="#table-gaps-week">table</a>)</figcaption>
            </figure>
            <figure class="chart-figure">
            {SvgCharts.RateBars("chart-gaps-intent", "Share of tickets without an answer, by intent" + (byIntent.Groups.Count > shown.Count ? " (10 with most gaps)" : ""), rates)}
            <figcaption>Gap rate by intent (<a href="#table-gaps-intent">table</a>)</figcaption>
            </figure>
            <p><a id="csv-gaps" href="/api/reports/gaps?format=csv{range}" download="knowledge-gaps.csv">Download CSV (gaps by intent)</a></p>
            <div class="table-scroll"><table id="table-gaps-week"><caption>Knowledge gaps per week</caption>
            <thead><tr><th scope="col">Week</th><th scope="col" class="num">Gaps</th><th scope="col" class="num">Suggestions</th><th scope="col" class="num">Gap rate</th></tr></thead>
            <tbody>{Html.Join(weeks, w => Html.Of($"""<tr><th scope="row">{w.Week}</th><td class="num">{w.Gaps}</td><td class="num">{w.Suggestions}</td><td class="num">{SvgCharts.Percent(w.GapRate)}</td></tr>"""))}</tbody></table></div>
            <div class="table-scroll"><table id="table-gaps-intent"><caption>Knowledge gaps by intent, most first, with the newest questions (redacted)</caption>
            <thead><tr><th scope="col">Intent</th><th scope="col" class="num">Gaps</th><th scope="col" class="num">Suggestions</th><th scope="col" class="num">Gap rate</th><th scope="col">Examples</th></tr></thead>
            <tbody>{Html.Join(byIntent.Groups, g => Html.Of($"""<tr><th scope="row">{g.Intent}</th><td class="num">{g.Gaps}</td><td class="num">{g.Suggestions}</td><td class="num">{SvgCharts.Percent(g.GapRate)}</td><td class="examples">{string.Join(" | ", g.Examples)}</td></tr>"""))}</tbody></table></div>
            </section>
            """);
    }

    private static Html UsageSection(UsageReport report, string range, ReportRequest request)
    {
        var period = report.By;
        var keys = report.Groups.Select(g => g.Key).ToList();
        string Short(string key, int i) => period == "week" ? ShortWeek(key, i, keys) : key.Length == 10 ? key[5..] : key;
        var tokens = report.Groups.Select((g, i) => new ChartValue(g.Key, Short(g.Key, i), g.InputTokens + g.OutputTokens, SvgCharts.Compact(g.InputTokens + g.OutputTokens))).ToList();
        var cost = report.Groups.Select((g, i) => new ChartValue(g.Key, Short(g.Key, i), (double)g.CostUsd, SvgCharts.Dollars((double)g.CostUsd))).ToList();
        var window = (request.From is null ? "" : $"&from={request.From:yyyy-MM-dd}") + (request.To is null ? "" : $"&to={request.To:yyyy-MM-dd}");
        Html Toggle(string p, string text) => p == period
            ? Html.Of($"""<a id="usage-{p}" href="/console/reports?usage={p}{window}#report-usage" aria-current="true"><strong>{text}</strong></a>""")
            : Html.Of($"""<a id="usage-{p}" href="/console/reports?usage={p}{window}#report-usage">{text}</a>""");
        var unit = period == "week" ? "week" : "day";
        return Html.Of($"""
            <section class="panel" aria-labelledby="heading-usage" id="report-usage">
            <h2 id="heading-usage">Tokens and cost</h2>
            <p>Per {Toggle("week", "week")} · {Toggle("day", "day")}. <span class="muted">From the model ledger of each suggestion (its trace): input + output tokens and the cost the price table gives; suggestions made offline cost nothing.</span></p>
            <figure class="chart-figure">
            {SvgCharts.Columns("chart-tokens", $"Model tokens per {unit}", tokens, SvgCharts.Compact)}
            <figcaption>Tokens per {unit} (<a href="#table-usage">table</a>)</figcaption>
            </figure>
            <figure class="chart-figure">
            {SvgCharts.Columns("chart-cost", $"Model cost per {unit} (USD)", cost, SvgCharts.Dollars)}
            <figcaption>Cost per {unit} (<a href="#table-usage">table</a>)</figcaption>
            </figure>
            <p><a id="csv-usage" href="/api/reports/usage?format=csv&amp;by={period}{range}" download="usage-by-{period}.csv">Download CSV (by {period})</a></p>
            <div class="table-scroll"><table id="table-usage"><caption>Tokens, cost and latency per {unit}</caption>
            <thead><tr><th scope="col">{(period == "week" ? "Week" : "Day")}</th><th scope="col" class="num">Suggestions</th><th scope="col" class="num">Model calls</th><th scope="col" class="num">Input tokens</th><th scope="col" class="num">Output tokens</th><th scope="col" class="num">Cost</th><th scope="col" class="num">p50 / p95 ms</th></tr></thead>
            <tbody>{Html.Join(report.Groups.Append(report.Total), g => Html.Of($"""<tr><th scope="row">{(g.Key == AcceptanceReport.TotalKey ? "Total" : g.Key)}</th><td class="num">{g.Suggestions}</td><td class="num">{g.ModelCalls}</td><td class="num">{g.InputTokens:N0}</td><td class="num">{g.OutputTokens:N0}</td><td class="num">{SvgCharts.Dollars((double)g.CostUsd)}</td><td class="num">{(g.LatencyP50Ms is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{g.LatencyP50Ms:0} / {g.LatencyP95Ms:0}"))}</td></tr>"""))}</tbody></table></div>
            </section>
            """);
    }
}
