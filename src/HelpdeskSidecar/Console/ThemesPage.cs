using HelpdeskSidecar.Access;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Reports.Themes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/themes</c>: what customers write about, grouped into themes (Reports/Themes). Managers see every theme
/// with its weekly columns, examples, gap and escalation share and acceptance; ops leads see the rising themes flagged,
/// without customer text, as <c>GET /api/reports/themes</c> gives each role.
/// </summary>
internal static class ThemesPage
{
    public static void Map(RouteGroupBuilder console) => console.MapGet("/themes", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, ThemesService themes, string? from, string? to, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, null, null, ["json"]);
        if (request is null)
        {
            var refused = Html.Of($"""
                {RangeForm(from, to, error)}
                <p class="muted" id="themes-not-shown">No themes shown: correct the dates above.</p>
                """);
            return ConsoleLayout.Page(http, "Themes", "themes", refused, StatusCodes.Status400BadRequest);
        }
        var full = http.User.RoleOf() is { } role && AccessPolicies.Allows(AccessPolicies.Reports, role);
        var report = await themes.BuildAsync(request.From, request.To, ct);
        var shown = full ? report : report.RisingOnly();
        var range = $"&from={report.From}&to={report.To}";
        var body = Html.Of($"""
            {RangeForm(report.From, report.To, null)}
            {Rising(shown)}
            <p id="themes-total">{report.Messages} customer messages from {report.From} to {report.To} grouped into {report.Themes.Count} themes ({report.Encoder}); {report.Other} in groups too small to be a theme.</p>
            {Html.When(full, Overview(shown, range))}
            <div class="theme-grid" id="themes">{Html.Join(shown.Themes.Select((t, i) => (t, i)), x => Card(shown, x.t, x.i + 1, full))}</div>
            {Html.When(!full && shown.Themes.Count == 0, Html.Of($"""<p class="muted" id="no-rising">No theme is rising this week.</p>"""))}
            """);
        return ConsoleLayout.Page(http, "Themes", "themes", body);
    }

    private static Html Rising(ThemesReport report) => report.Rising.Count == 0
        ? Html.Empty
        : Html.Of($"""
            <section class="message error rising-flag" id="rising" role="alert" aria-labelledby="rising-heading">
            <strong id="rising-heading">Rising this week ({report.Weeks[^1]}):</strong>
            {Html.Join(report.Themes.Where(t => t.Rising), t => Html.Of($"""<span class="badge bad rising-theme">{t.Name}: {t.Current} vs. {t.Baseline:0.#}/week before</span> """))}
            </section>
            """);

    private static Html Overview(ThemesReport report, string range) => Html.Of($"""
        <section class="panel" id="themes-overview" aria-labelledby="themes-overview-heading">
        <h2 id="themes-overview-heading">Share of messages by theme</h2>
        {SvgCharts.Bars("chart-themes", "Share of customer messages by theme", report.Themes.Take(12).Select(t => new ChartPoint(t.Name, t.Share, $"(n={t.Count})")).ToList())}
        <p><a id="themes-csv" href="/api/reports/themes?format=csv{range}" download>Download CSV</a></p>
        </section>
        """);

    private static Html Card(ThemesReport report, Theme t, int n, bool full) => Html.Of($"""
        <section class="panel theme{(t.Rising ? " rising-flag" : "")}" id="theme-{n}" aria-labelledby="theme-{n}-name">
        <h3 id="theme-{n}-name">{t.Name}{Html.When(t.Rising, Html.Of($""" <span class="badge bad">rising</span>"""))}</h3>
        <p class="muted">{t.Count} messages · gaps {SvgCharts.Percent(t.GapShare)} · escalations {SvgCharts.Percent(t.EscalationShare)}{Html.When(full, Html.Of($" · acceptance {SvgCharts.Percent(t.AcceptanceRate)} of {t.Drafts} drafts"))}</p>
        {SvgCharts.CountColumns($"chart-theme-{n}", $"Messages per week: {t.Name}", report.Weeks.Zip(t.Weekly, (w, c) => (w, c)).ToList(), t.Rising)}
        {Html.When(t.Examples.Count > 0, Html.Of($"""<ul class="examples">{Html.Join(t.Examples, e => Html.Of($"<li>{e}</li>"))}</ul>"""))}
        </section>
        """);

    private static Html RangeForm(string? from, string? to, string? error) => Html.Of($"""
        <form method="get" action="/console/themes" class="inline panel" id="themes-range"{Html.When(error is not null, new Html(" aria-describedby=\"range-error\""))}>
          <label for="from">From <input id="from" name="from" type="date" value="{from}"></label>
          <label for="to">To <input id="to" name="to" type="date" value="{to}"></label>
          <button id="range-apply" type="submit">Show</button>
          {Html.When(error is not null, Html.Of($"""<p class="message error" id="range-error" role="alert">{error}</p>"""))}
        </form>
        """);
}
