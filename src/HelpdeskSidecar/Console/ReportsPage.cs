using System.Globalization;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/reports</c>: acceptance and insertion by ISO week (UTC), acceptance by intent, agent (by name), brand (by
/// name) and tag, knowledge gaps by week and by intent, and tokens and cost by week or day, each as an SVG chart with
/// the numbers in a table below it and a CSV link to the matching <c>/api/reports/…</c> (which the console cookie may
/// read). Built from the same queries and reports as the API and the CLI.
/// </summary>
internal static partial class ReportsPage
{
    private static readonly string[] Groupings = ["intent", "agent", "brand", "tag"];
    private static readonly string[] UsagePeriods = ["week", "day"];

    public static void Map(RouteGroupBuilder console) => console.MapGet("/reports", ShowAsync).RequireAuthorization(AccessPolicies.Reports);

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, IAcceptanceReportQuery query, ISuggestionReportQuery suggestions, ReportNames names,
        string? from, string? to, string? usage, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, null, null, ["json"]);
        var period = string.IsNullOrWhiteSpace(usage) ? "week" : usage.Trim().ToLowerInvariant();
        if (request is not null && !UsagePeriods.Contains(period))
            (request, error) = (null, $"'usage' must be one of {string.Join(", ", UsagePeriods)}, not '{usage}'.");
        if (request is null)
        {
            // The form again with what was typed and the reason beside it: the normal page, not a bare error.
            var refused = Html.Of($"""
                {RangeForm(from, to, error, usage)}
                <p class="muted" id="report-not-shown">No report shown: correct the query above.</p>
                """);
            return ConsoleLayout.Page(http, "Reports", "reports", refused, StatusCodes.Status400BadRequest);
        }
        var facts = await query.DraftsAsync(request.From, request.To, ct);
        var all = await suggestions.SuggestionsAsync(request.From, request.To, ct);
        var labels = await names.LabelsAsync(facts, ct);
        var range = (request.From is null ? "" : $"&from={request.From:yyyy-MM-dd}") + (request.To is null ? "" : $"&to={request.To:yyyy-MM-dd}");
        var total = AcceptanceReport.Group(AcceptanceReport.TotalKey, facts);
        var body = Html.Of($"""
            {RangeForm(Day(request.From), Day(request.To), null, period)}
            <p><a id="link-resolution" href="/console/resolution">Verified resolution</a>: were the drafted tickets still resolved a week later?</p>
            <p id="report-total">{facts.Count} drafts; acceptance {SvgCharts.Percent(total.AcceptanceRate)} ({total.SentAsIs} sent as is, {total.Edited} edited, {total.Rejected} rejected, {total.NoReply} without reply, {total.Pending} pending). Acceptance = (sent as is + edited) / (drafts with a verdict − no reply).</p>
            <p id="report-insertion">{total.Inserted} of {total.Drafts} drafts inserted into a reply from the helpdesk apps ({SvgCharts.Percent(total.InsertionRate)}); of those, {total.InsertedSentAsIs} sent as is and {total.InsertedEdited} edited.</p>
            <nav aria-label="Sections of this page" class="report-toc"><a href="#report-week">By week</a> · <a href="#report-intent">By intent</a> · <a href="#report-agent">By agent</a> · <a href="#report-brand">By brand</a> · <a href="#report-tag">By tag</a> · <a href="#report-gaps">Knowledge gaps</a> · <a href="#report-usage">Tokens and cost</a></nav>
            {WeekSection(AcceptanceReport.Build(facts, request.From, request.To, "week"), range)}
            {Html.Join(Groupings, by => Section(AcceptanceReport.Build(facts, request.From, request.To, by, labels), range))}
            {GapsSection(all, request, range)}
            {UsageSection(UsageReport.Build(all, request.From, request.To, period), range, request)}
            """);
        return ConsoleLayout.Page(http, "Reports", "reports", body);
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Html RangeForm(string? from, string? to, string? error, string? usage) => Html.Of($"""
        <form method="get" action="/console/reports" class="inline panel" id="report-range"{Html.When(error is not null, new Html(" aria-describedby=\"range-error\""))}>
          <label for="from">From <input id="from" name="from" type="date" value="{from}"{Invalid(error, "'from'")}></label>
          <label for="to">To <input id="to" name="to" type="date" value="{to}"{Invalid(error, "'to'")}></label>
          <label for="usage">Tokens and cost per <select id="usage" name="usage"{Invalid(error, "'usage'")}>{Html.Join(UsagePeriods, p => Html.Of($"""<option value="{p}"{Html.When(p == usage, new Html(" selected"))}>{p}</option>"""))}</select></label>
          <button id="range-apply" type="submit">Show</button>
          {Html.When(error is not null, Html.Of($"""<p class="message error" id="range-error" role="alert">{error}</p>"""))}
        </form>
        """);

    private static Html Invalid(string? error, string field) =>
        Html.When(error?.Contains(field, StringComparison.Ordinal) == true, new Html(" aria-invalid=\"true\""));

    /// <summary>"2026-W10" → "W10" under the axis, with the year where a new one starts ("27-W01"); the full week is in the table.</summary>
    private static string ShortWeek(string week, int index, IReadOnlyList<string> weeks) =>
        week.Length != 8 ? week : index > 0 && weeks[index - 1][..4] != week[..4] ? $"{week[2..4]}-{week[5..]}" : week[5..];

    private static Html Section(AcceptanceReport report, string range)
    {
        var by = report.By;
        var points = report.Groups.Select(g => new ChartPoint(g.Key, g.AcceptanceRate, $"(n={g.Suggestions})")).ToList();
        var title = $"Acceptance by {by}";
        return Html.Of($"""
            <section class="panel" aria-labelledby="heading-{by}" id="report-{by}">
            <h2 id="heading-{by}">{title}</h2>
            {SvgCharts.RateBars($"chart-{by}", title, points)}
            <p><a id="csv-{by}" href="/api/reports/acceptance?format=csv&amp;by={by}{range}" download="acceptance-by-{by}.csv">Download CSV (by {by})</a></p>
            {AcceptanceTable(report, by, $"Table: acceptance by {by}")}
            </section>
            """);
    }

    private static Html AcceptanceTable(AcceptanceReport report, string by, string summary) => Html.Of($"""
        <details><summary>{summary}</summary>
        <table id="table-{by}"><thead><tr>{Html.Join(AcceptanceReport.Columns, c => Html.Of($"""<th scope="col">{(c == "key" ? by : c)}</th>"""))}</tr></thead>
        <tbody>{Html.Join(report.Groups.Append(report.Total), g => Html.Of($"<tr>{Html.Join(AcceptanceReport.Cells(g), c => Html.Of($"<td>{(c.Length == 0 ? "—" : c)}</td>"))}</tr>"))}</tbody></table>
        </details>
        """);
}
