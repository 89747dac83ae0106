using HelpdeskSidecar.Access;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Reports.Resolution;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/resolution</c>: verified resolution next to acceptance, by week, intent, agent and brand, as SVG charts with
/// the numbers in tables and CSV links to <c>/api/reports/resolution?format=csv</c>. Built from the same report as the
/// API and the CLI; reached from the reports page.
/// </summary>
internal static class ResolutionPage
{
    private static readonly string[] Groupings = ["week", "intent", "agent", "brand"];

    public static void Map(RouteGroupBuilder console) => console.MapGet("/resolution", ShowAsync).RequireAuthorization(AccessPolicies.Reports);

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, string? from, string? to, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, null, null, ["json"], ResolutionReport.Groupings);
        if (request is null)
        {
            var refused = Html.Of($"""
                {RangeForm(from, to, error)}
                <p class="muted" id="resolution-not-shown">No report shown: correct the dates above.</p>
                """);
            return ConsoleLayout.Page(http, "Verified resolution", "reports", refused, StatusCodes.Status400BadRequest);
        }
        var reports = new List<ResolutionReport>();
        foreach (var by in Groupings)
            reports.Add(await ResolutionEndpoints.BuildAsync(http.RequestServices, request with { By = by }, ct));
        var total = reports[0].Total;
        var range = (request.From is null ? "" : $"&from={request.From:yyyy-MM-dd}") + (request.To is null ? "" : $"&to={request.To:yyyy-MM-dd}");
        var body = Html.Of($"""
            <p><a id="back-to-reports" href="/console/reports">← Acceptance reports</a></p>
            {RangeForm(Day(request.From), Day(request.To), null)}
            <p id="resolution-total">{total.Tickets} drafted tickets: verified resolution {SvgCharts.Percent(total.VerifiedResolutionRate)} ({total.Verified} verified, {total.Reopened} reopened, {total.Recontacted} recontacted, {total.Pending} pending, {total.Open} not solved); acceptance {SvgCharts.Percent(total.AcceptanceRate)}; of accepted drafts, {SvgCharts.Percent(total.AcceptedVerifiedRate)} verified.</p>
            <p class="muted" id="resolution-explained">A solved ticket is verified-resolved when {reports[0].WindowDays} days pass without it being reopened and without a new ticket from the same customer on the same theme (same intent or a similar question). Tickets whose window is still open are pending, not counted as resolved.</p>
            {Html.Join(reports, r => Section(r, range))}
            """);
        return ConsoleLayout.Page(http, "Verified resolution", "reports", body);
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Html RangeForm(string? from, string? to, string? error) => Html.Of($"""
        <form method="get" action="/console/resolution" class="inline panel" id="resolution-range"{Html.When(error is not null, new Html(" aria-describedby=\"resolution-range-error\""))}>
          <label for="from">From <input id="from" name="from" type="date" value="{from}"{Invalid(error, "'from'")}></label>
          <label for="to">To <input id="to" name="to" type="date" value="{to}"{Invalid(error, "'to'")}></label>
          <button id="resolution-apply" type="submit">Show</button>
          {Html.When(error is not null, Html.Of($"""<p class="message error" id="resolution-range-error" role="alert">{error}</p>"""))}
        </form>
        """);

    private static Html Invalid(string? error, string field) =>
        Html.When(error?.Contains(field, StringComparison.Ordinal) == true, new Html(" aria-invalid=\"true\""));

    private static Html Section(ResolutionReport report, string range)
    {
        var by = report.By;
        // n = decided tickets (verified, reopened or recontacted); acceptance of the same drafts is listed under the chart.
        var points = report.Groups.Select(g => new ChartPoint(g.Key, g.VerifiedResolutionRate, $"(n={g.Verified + g.Reopened + g.Recontacted})")).ToList();
        var title = by == "week" ? "Verified resolution over time, by week" : $"Verified resolution by {by}";
        var chart = by == "week" ? SvgCharts.Line($"resolution-chart-{by}", title, points) : SvgCharts.Bars($"resolution-chart-{by}", title, points);
        return Html.Of($"""
            <section class="panel" aria-labelledby="resolution-heading-{by}" id="resolution-{by}">
            <h2 id="resolution-heading-{by}">{title}</h2>
            <div class="chart-frame" tabindex="0" aria-labelledby="resolution-heading-{by}">{chart}</div>
            <p id="resolution-acceptance-{by}">Acceptance of the same drafts: {string.Join("; ", report.Groups.Select(g => $"{g.Key} {SvgCharts.Percent(g.AcceptanceRate)}"))}.</p>
            <p><a id="resolution-csv-{by}" href="/api/reports/resolution?format=csv&amp;by={by}{range}" download="resolution-by-{by}.csv">Download CSV (by {by})</a></p>
            <details><summary>Table</summary>
            <div class="table-scroll"><table id="resolution-table-{by}"><thead><tr>{Html.Join(ResolutionReport.Columns, c => Html.Of($"""<th scope="col">{(c == "key" ? by : c)}</th>"""))}</tr></thead>
            <tbody>{Html.Join(report.Groups.Append(report.Total), g => Html.Of($"<tr>{Html.Join(ResolutionReport.Cells(g), c => Html.Of($"<td>{(c.Length == 0 ? "—" : c)}</td>"))}</tr>"))}</tbody></table></div>
            </details>
            </section>
            """);
    }
}
