using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Suggestions.Routing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/routing</c>: the policy file's routing rules (what they match, where they route), the mode in force for
/// each with a switch (off / suggest / auto) for ops leads, the precision of each rule as agents voted, and the audit of
/// mode changes. Changes go through the same <see cref="RoutingStore"/> as <c>PUT /api/routing/rules/{rule}</c>.
/// </summary>
internal static class RoutingPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/routing", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/routing", SaveAsync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
    }

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, PolicyProvider policy, RoutingStore store, RouteOutcomes outcomes, string? saved, CancellationToken ct)
    {
        var view = await RoutingEndpoints.ViewAsync(policy, store, ct);
        var precision = await outcomes.PrecisionAsync(ct);
        var audit = await store.AuditAsync(50, ct);
        var canChange = http.User.Can(AccessPolicies.Operations);
        var body = Html.Of($"""
            {StatusMessages.Line(saved, StatusMessages.RuleSaved, StatusMessages.RuleUnchanged)}
            <p class="muted">Routing rules live in the policy file (<code>routing:</code>, source <code>{view.PolicySource}</code>). Suggest lists the route in the note and the helpdesk apps; auto sets it on the ticket in Live mode (Shadow records what it would do).
            {(canChange ? Html.Empty : Html.Of($"""<br><span id="read-only-note">Your role can read these rules; ops leads change their mode.</span>"""))}</p>
            <section class="panel" aria-labelledby="routing-rules-heading">
            <h2 id="routing-rules-heading">Rules</h2>
            <table id="routing-rules">
            <thead><tr><th scope="col">Rule</th><th scope="col">Routes to</th><th scope="col" class="hide-narrow">Brands</th><th scope="col">Mode</th><th scope="col" class="num">Precision</th></tr></thead>
            <tbody>
            {Html.Join(view.Rules, r => RowHtml(http, r, precision.Where(p => p.Rule == r.Name).ToList(), canChange))}
            </tbody>
            </table>
            {Html.When(view.Rules.Count == 0, Html.Of($"""<p class="muted" id="no-routing-rules">The policy in force has no routing rules: add a <code>routing:</code> section to the policy file (see the README).</p>"""))}
            </section>
            <section class="panel" aria-labelledby="route-precision-heading">
            <h2 id="route-precision-heading">Precision by route</h2>
            <table id="route-precision">
            <thead><tr><th scope="col">Rule</th><th scope="col">Route</th><th scope="col" class="num hide-narrow">Applied</th><th scope="col" class="num hide-narrow">Suggested</th><th scope="col" class="num">Kept</th><th scope="col" class="num hide-narrow">Dropped</th><th scope="col" class="num">Precision</th></tr></thead>
            <tbody>
            {Html.Join(precision, p => Html.Of($"""<tr><td>{p.Rule}</td><td>{Label(p.Target, p.Value)}</td><td class="num hide-narrow">{p.Applied}</td><td class="num hide-narrow">{p.Suggested}</td><td class="num">{p.Kept}</td><td class="num hide-narrow">{p.Dropped}</td><td class="num">{(p.Precision is { } v ? SvgCharts.Percent(v) : "—")}</td></tr>"""))}
            </tbody>
            </table>
            {Html.When(precision.Count == 0, Html.Of($"""<p class="muted" id="no-route-outcomes">No outcomes yet: a route is judged when its ticket is solved.</p>"""))}
            <p class="muted">Also as <a href="/api/reports/routes?format=csv">CSV</a> and <code>report routes</code>.</p>
            </section>
            <section class="panel" aria-labelledby="routing-audit-heading">
            <h2 id="routing-audit-heading">Audit of changes</h2>
            <table id="routing-audit">
            <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Rule</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
            <tbody>
            {Html.Join(audit, a => Html.Of($"""<tr><td>{a.At:yyyy-MM-dd HH:mm:ss}</td><td class="audit-who">{a.Who}</td><td>{a.Rule}</td><td>{a.Before ?? "—"}</td><td>{a.After}</td></tr>"""))}
            </tbody>
            </table>
            </section>
            """);
        return ConsoleLayout.Page(http, "Routing", "routing", body);
    }

    private static string Label(string target, string value) =>
        target.StartsWith(RouteNames.FieldPrefix, StringComparison.Ordinal) ? $"field {target[RouteNames.FieldPrefix.Length..]} = {value}" : $"{target} {value}";

    private static Html RowHtml(HttpContext http, RoutingRuleView r, IReadOnlyList<RoutePrecision> precision, bool canChange)
    {
        var id = ConsoleIds.For(r.Name);
        var kept = precision.Sum(p => p.Kept);
        var settled = kept + precision.Sum(p => p.Dropped);
        var shown = settled == 0
            ? Html.Of($"""<span class="muted">no outcomes yet</span>""")
            : Html.Of($"""<span title="{kept} kept of {settled} settled">{SvgCharts.Percent((double)kept / settled)}</span> <span class="muted">({kept}/{settled})</span>""");
        var origin = r.ModeSetBy == RoutingPolicy.FromOverride ? Html.Of($""" <span class="muted">(file: {r.FileMode})</span>""") : Html.Of($""" <span class="muted">(file)</span>""");
        var control = canChange
            ? Html.Of($"""
                <form method="post" action="/console/routing" class="inline" id="routing-rule-{id}">
                  {ConsoleLayout.AntiforgeryField(http)}
                  <input type="hidden" name="rule" value="{r.Name}">
                  <label for="routing-mode-{id}">Mode<span class="sr-only"> for {r.Name}</span>
                  <select id="routing-mode-{id}" name="mode">{Html.Join(RouteNames.Modes, m => Html.Of($"""<option value="{m}"{Html.When(m == r.Mode, new Html(" selected"))}>{m}</option>"""))}</select></label>
                  <button id="routing-save-{id}" type="submit">Save</button>{origin}
                </form>
                """)
            : Html.Of($"""<span id="routing-mode-{id}" class="badge">{r.Mode}</span>{origin}""");
        return Html.Of($"""
            <tr id="routing-row-{id}"><td>{r.Name}</td><td>{string.Join(", ", r.Targets.Select(t => Label(t.Target, t.Value)))}</td><td class="hide-narrow">{(r.Brands.Count == 0 ? "all" : string.Join(", ", r.Brands))}</td><td>{control}</td><td class="num" id="routing-precision-{id}">{shown}</td></tr>
            """);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, PolicyProvider policy, RoutingStore store, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var rule = form["rule"].ToString();
        var mode = form["mode"].ToString().Trim().ToLowerInvariant();
        if (!RouteNames.IsMode(mode))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Rule not saved", "'mode' must be one of off, suggest, auto.");
        if (policy.Current.Policy.Routing.FirstOrDefault(r => r.Name == rule) is not { } found)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Rule not saved", "The policy in force has no routing rule of that name; rules are added in the policy file.");
        var entry = await store.SetAsync(found.Name, mode, found.Mode, http.User.ActorName(), ct);
        return StatusMessages.Redirect("/console/routing", entry is null ? StatusMessages.RuleUnchanged : StatusMessages.RuleSaved);
    }
}
