using System.Globalization;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Suggestions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console</c>: today's and this week's suggestions, acceptance, knowledge gaps, pipeline latency, mode.
/// Read through the suggestion store and the acceptance query (a dedicated overview query can replace this later).
/// </summary>
internal static class OverviewPage
{
    /// <summary>The overview looks at this many of the newest suggestions at most.</summary>
    private const int Window = 5000;

    public static void Map(RouteGroupBuilder console) => console.MapGet("/", ShowAsync);

    internal sealed record Figures(int Today, int Week, int GapsWeek, AcceptanceGroup AcceptanceWeek, AcceptanceGroup AcceptanceAll, double? P50Ms, double? P95Ms, int LatencySamples);

    internal static async Task<Figures> ComputeAsync(SuggestionStore store, IAcceptanceReportQuery acceptance, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var weekStart = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)); // ISO week: Monday
        var recent = await store.ListAsync(null, Window, ct);
        var thisWeek = recent.Where(s => DateOnly.FromDateTime(s.CreatedAt.UtcDateTime) >= weekStart).ToList();
        var latencies = thisWeek.Select(s => s.Trace.TimingsMs.Total).Order().ToList();
        var weekDrafts = await acceptance.DraftsAsync(weekStart, today, ct);
        var allDrafts = await acceptance.DraftsAsync(null, null, ct);
        return new Figures(
            thisWeek.Count(s => DateOnly.FromDateTime(s.CreatedAt.UtcDateTime) == today),
            thisWeek.Count,
            thisWeek.Count(s => s.Kind == SuggestionKind.KnowledgeGap),
            AcceptanceReport.Group(AcceptanceReport.TotalKey, weekDrafts),
            AcceptanceReport.Group(AcceptanceReport.TotalKey, allDrafts),
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), latencies.Count);
    }

    private static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, SuggestionStore store, IAcceptanceReportQuery acceptance, IOptions<SidecarOptions> options, PolicyProvider policy, TimeProvider time, CancellationToken ct)
    {
        var f = await ComputeAsync(store, acceptance, time.GetUtcNow(), ct);
        var overrides = policy.Current.Policy.Rules.Where(r => r.Outcome.Mode is not null).ToList();
        var body = Html.Of($"""
            <div class="cards" id="overview-cards">
              {Card("today", "Suggestions today", Html.Of($"{f.Today}"))}
              {Card("week", "Suggestions this week", Html.Of($"{f.Week}"))}
              {Card("acceptance-week", "Acceptance this week", Rate(f.AcceptanceWeek))}
              {Card("acceptance-all", "Acceptance, all time", Rate(f.AcceptanceAll))}
              {Card("gaps", "Knowledge gaps this week", Html.Of($"{f.GapsWeek}"))}
              {Card("latency", "Pipeline p50 / p95", f.P50Ms is null ? Html.Of($"—") : Html.Of($"{f.P50Ms:0} / {f.P95Ms:0} ms"))}
              {Card("mode", "Mode", Html.Of($"{options.Value.Mode}"))}
            </div>
            <section class="panel" aria-labelledby="acceptance-heading">
            <h2 id="acceptance-heading">This week's drafts</h2>
            <p id="acceptance-breakdown">{f.AcceptanceWeek.SentAsIs} sent as is, {f.AcceptanceWeek.Edited} edited, {f.AcceptanceWeek.Rejected} rejected, {f.AcceptanceWeek.NoReply} without reply, {f.AcceptanceWeek.Pending} waiting for the agent.
            Acceptance = (sent as is + edited) / (drafts − no reply).</p>
            {Html.When(f.LatencySamples > 0, Html.Of($"""<p class="muted">Latency over {f.LatencySamples} suggestions this week (load ticket → retrieve → draft).</p>"""))}
            </section>
            <section class="panel" aria-labelledby="mode-heading">
            <h2 id="mode-heading">Mode</h2>
            <p>Everything runs in <strong id="mode-global">{options.Value.Mode}</strong> mode{(overrides.Count == 0 ? Html.Of($".") : Html.Of($", except where the policy says otherwise:"))}</p>
            {Html.When(overrides.Count > 0, Html.Of($"""<ul id="mode-overrides">{Html.Join(overrides, r => Html.Of($"<li>rule <strong>{r.Name}</strong>: {r.Outcome.Mode}</li>"))}</ul>"""))}
            {Html.When(http.User.Can(AccessPolicies.Oversight), Html.Of($"""<p><a href="/console/policy">Policy and mode per brand</a></p>"""))}
            </section>
            """);
        return ConsoleLayout.Page(http, "Overview", "overview", body);
    }

    private static Html Rate(AcceptanceGroup g) =>
        g.AcceptanceRate is { } r ? Html.Of($"{(r * 100).ToString("0", CultureInfo.InvariantCulture)}%") : Html.Of($"—");

    private static Html Card(string id, string label, Html value) =>
        Html.Of($"""<div class="card" id="card-{id}"><div class="value">{value}</div><div class="label">{label}</div></div>""");
}
