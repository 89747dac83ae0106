using HelpdeskSidecar.Access;
using HelpdeskSidecar.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/reports</c>: acceptance over time (by ISO week) and by intent, agent, brand and tag, as SVG charts with
/// the numbers in tables beside them, and CSV links to <c>/api/reports/acceptance?format=csv</c> (which the console
/// cookie may read). Built from the same query and report as the API and the CLI.
/// </summary>
internal static class ReportsPage
{
    private static readonly string[] Groupings = ["week", "intent", "agent", "brand", "tag"];

    public static void Map(RouteGroupBuilder console) => console.MapGet("/reports", ShowAsync).RequireAuthorization(AccessPolicies.Reports);

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, IAcceptanceReportQuery query, Helpdesks.HelpdeskNames names, string? from, string? to, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, null, null, ["json"]);
        if (request is null)
        {
            // The form again with what was typed and the reason beside it: the normal page, not a bare error.
            var refused = Html.Of($"""
                {RangeForm(from, to, error)}
                <p class="muted" id="report-not-shown">No report shown: correct the dates above.</p>
                """);
            return ConsoleLayout.Page(http, "Reports", "reports", refused, StatusCodes.Status400BadRequest);
        }
        var facts = await query.DraftsAsync(request.From, request.To, ct);
        var labels = await names.LabelsAsync(ct);
        var range = (request.From is null ? "" : $"&from={request.From:yyyy-MM-dd}") + (request.To is null ? "" : $"&to={request.To:yyyy-MM-dd}");
        var total = AcceptanceReport.Group(AcceptanceReport.TotalKey, facts);
        var body = Html.Of($"""
            {RangeForm(Day(request.From), Day(request.To), null)}
            <p><a id="link-resolution" href="/console/resolution">Verified resolution</a>: were the drafted tickets still resolved a week later?</p>
            <p id="report-total">{facts.Count} drafts; acceptance {SvgCharts.Percent(total.AcceptanceRate)} ({total.SentAsIs} sent as is, {total.Edited} edited, {total.Rejected} rejected, {total.NoReply} without reply, {total.Pending} pending). Acceptance = (sent as is + edited) / (drafts with a verdict − no reply).</p>
            {Html.Join(Groupings, by => Section(AcceptanceReport.Build(facts, request.From, request.To, by, labels), range))}
            """);
        return ConsoleLayout.Page(http, "Reports", "reports", body);
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Html RangeForm(string? from, string? to, string? error) => Html.Of($"""
        <form method="get" action="/console/reports" class="inline panel" id="report-range"{Html.When(error is not null, new Html(" aria-describedby=\"range-error\""))}>
          <label for="from">From <input id="from" name="from" type="date" value="{from}"{Invalid(error, "'from'")}></label>
          <label for="to">To <input id="to" name="to" type="date" value="{to}"{Invalid(error, "'to'")}></label>
          <button id="range-apply" type="submit">Show</button>
          {Html.When(error is not null, Html.Of($"""<p class="message error" id="range-error" role="alert">{error}</p>"""))}
        </form>
        """);

    private static Html Invalid(string? error, string field) =>
        Html.When(error?.Contains(field, StringComparison.Ordinal) == true, new Html(" aria-invalid=\"true\""));

    private static Html Section(AcceptanceReport report, string range)
    {
        var by = report.By;
        var points = report.Groups.Select(g => new ChartPoint(g.Key, g.AcceptanceRate, $"(n={g.Suggestions})")).ToList();
        var title = by == "week" ? "Acceptance over time, by week" : $"Acceptance by {by}";
        var chart = by == "week" ? SvgCharts.Line($"chart-{by}", title, points) : SvgCharts.Bars($"chart-{by}", title, points);
        return Html.Of($"""
            <section class="panel" aria-labelledby="heading-{by}" id="report-{by}">
            <h2 id="heading-{by}">{title}</h2>
            {chart}
            <p><a id="csv-{by}" href="/api/reports/acceptance?format=csv&amp;by={by}{range}" download="acceptance-by-{by}.csv">Download CSV (by {by})</a></p>
            <details><summary>Table</summary>
            <table id="table-{by}"><thead><tr>{Html.Join(AcceptanceReport.Columns, c => Html.Of($"""<th scope="col">{(c == "key" ? by : c)}</th>"""))}</tr></thead>
            <tbody>{Html.Join(report.Groups.Append(report.Total), g => Html.Of($"<tr>{Html.Join(AcceptanceReport.Cells(g), c => Html.Of($"<td>{(c.Length == 0 ? "—" : c)}</td>"))}</tr>"))}</tbody></table>
            </details>
            </section>
            """);
    }
}
