using System.Globalization;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console</c>: today's and this week's suggestions, acceptance, knowledge gaps, pipeline latency, model cost, mode.
/// The figures are the overview report's (<see cref="OverviewQuery"/>, as <c>GET /api/reports/overview</c>); the
/// breakdown of this week's verdicts and the all-time rate come from the acceptance query. Like the API, only the
/// roles that may read reports see them; the rest see the mode.
/// </summary>
internal static partial class OverviewPage
{
    public static void Map(RouteGroupBuilder console) => console.MapGet("/", ShowAsync);

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, OverviewQuery overview, IAcceptanceReportQuery acceptance, IOptions<SidecarOptions> options, PolicyProvider policy,
        Settings.ModeOverrideStore modeOverrides, CancellationToken ct)
    {
        var rules = policy.Current.Policy.Rules.Where(r => r.Outcome.Mode is not null && r.SetsMode).ToList();
        var scoped = await modeOverrides.ListAsync(ct);
        var overrides = rules.Select(r => Html.Of($"<li>rule <strong>{r.Name}</strong>: {r.Outcome.Mode}</li>"))
            .Concat(scoped.Select(o => Html.Of($"<li>{o.Scope} <strong>{o.Key}</strong>: {o.Mode}</li>"))).ToList();
        // The figures are the overview report's: shown to the roles that may read it on /api (the role matrix, Access/Roles.cs).
        var figures = http.User.Can(AccessPolicies.Reports)
            ? await FiguresAsync(overview, acceptance, options, ct)
            : Html.Of($"""<p id="no-figures" class="muted">Acceptance, gaps, latency and cost are for managers. <a href="/console/suggestions">Open the suggestions</a>.</p>""");
        var body = Html.Of($"""
            {figures}
            <section class="panel" aria-labelledby="mode-heading">
            <h2 id="mode-heading">Mode</h2>
            <p>Everything runs in <strong id="mode-global">{options.Value.Mode}</strong> mode{(overrides.Count == 0 ? Html.Of($".") : Html.Of($", except where the policy or an ops lead says otherwise:"))}</p>
            {Html.When(overrides.Count > 0, Html.Of($"""<ul id="mode-overrides">{Html.Join(overrides)}</ul>"""))}
            {Html.When(http.User.Can(AccessPolicies.Oversight), Html.Of($"""<p><a href="/console/policy">Policy and mode per brand</a></p>"""))}
            </section>
            """);
        return ConsoleLayout.Page(http, "Overview", "overview", body);
    }

    private static async Task<Html> FiguresAsync(OverviewQuery overview, IAcceptanceReportQuery acceptance, IOptions<SidecarOptions> options, CancellationToken ct)
    {
        var report = await overview.GetAsync(ct);
        var (today, week) = (report.Today, report.Week);
        var weekDrafts = await acceptance.DraftsAsync(DateOnly.Parse(week.From, CultureInfo.InvariantCulture), DateOnly.Parse(week.To, CultureInfo.InvariantCulture), ct);
        var thisWeek = AcceptanceReport.Group(AcceptanceReport.TotalKey, weekDrafts);
        var allTime = AcceptanceReport.Group(AcceptanceReport.TotalKey, await acceptance.DraftsAsync(null, null, ct));
        return Html.Of($"""
            {Tiles(report)}
            <h2 id="week-heading">This week (ISO, from Monday)</h2>
            <div class="cards" id="overview-cards">
              {Card("today", "Suggestions today", Html.Of($"{today.Suggestions}"))}
              {Card("week", "Suggestions this week", Html.Of($"{week.Suggestions}"))}
              {Card("acceptance-week", "Acceptance this week", Rate(week.AcceptanceRate))}
              {Card("acceptance-all", "Acceptance, all time", Rate(allTime.AcceptanceRate))}
              {Card("gaps", "Knowledge gaps this week", Html.Of($"{week.KnowledgeGaps}"))}
              {Card("escalations", "Escalated to a person this week", Html.Of($"{week.Escalations}"))}
              {Card("latency", "Pipeline p50 / p95 this week", week.LatencyP50Ms is null ? Html.Of($"—") : Html.Of($"{week.LatencyP50Ms:0} / {week.LatencyP95Ms:0} ms"))}
              {Card("cost", "Model tokens / cost this week", Html.Of($"{week.InputTokens + week.OutputTokens:N0} / ${week.CostUsd:0.00}"))}
              {Card("mode", "Mode", Html.Of($"{options.Value.Mode}"))}
            </div>
            <section class="panel" aria-labelledby="acceptance-heading">
            <h2 id="acceptance-heading">This week's drafts</h2>
            <p id="acceptance-breakdown">{thisWeek.SentAsIs} sent as is, {thisWeek.Edited} edited, {thisWeek.Rejected} rejected, {thisWeek.NoReply} without reply, {thisWeek.Pending} waiting for the agent.
            Acceptance = (sent as is + edited) / (drafts − no reply).</p>
            <p class="muted">Latency is the pipeline's own time per suggestion (load ticket → retrieve → draft); {week.ModelCalls} model calls this week.</p>
            </section>
            """);
    }

    private static Html Rate(double? rate) =>
        rate is { } r ? Html.Of($"{(r * 100).ToString("0", CultureInfo.InvariantCulture)}%") : Html.Of($"—");

    private static Html Card(string id, string label, Html value) =>
        Html.Of($"""<div class="card" id="card-{id}"><div class="value">{value}</div><div class="label">{label}</div></div>""");
}
