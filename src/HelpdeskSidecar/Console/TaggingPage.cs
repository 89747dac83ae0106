using System.Globalization;
using FluentValidation;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Suggestions.Tagging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/tagging</c>: per tag and per intent, off / suggest / auto with a threshold, the live precision next to
/// each, and the audit. Changes go through the same <see cref="TaggingStore"/> as <c>PUT /api/tagging/…</c>, so the
/// audit's "who" is the signed-in user. Ops leads and admins change; managers read.
/// </summary>
internal static class TaggingPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/tagging", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/tagging", SaveAsync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
    }

    private sealed record Row(string Scope, string Name, string Mode, double Threshold, bool HasRule, TagPrecision? Precision);

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, TaggingStore store, TagOutcomes outcomes, ClassifierHost classifiers, IOptions<SidecarOptions> options, string? saved, CancellationToken ct)
    {
        var defaults = options.Value.Tagging;
        var defaultMode = defaults.DefaultMode.ToLowerInvariant();
        var rules = await store.ListAsync(ct);
        var precision = (await outcomes.PrecisionAsync(ct)).ToDictionary(p => p.Tag, StringComparer.OrdinalIgnoreCase);
        var classifier = await classifiers.GetAsync(ct);
        var known = rules.Select(r => (r.Scope, r.Name))
            .Concat((classifier?.Tags ?? []).Select(t => (TagScopes.Tag, t)))
            .Concat(precision.Keys.Select(t => (TagScopes.Tag, t)))
            .Concat((classifier?.Intents ?? []).Select(i => (TagScopes.Intent, i)))
            .Distinct().OrderBy(k => k.Item1 == TagScopes.Tag ? 0 : 1).ThenBy(k => k.Item2, StringComparer.Ordinal).ToList();
        var rows = known.Select(k =>
        {
            var rule = rules.FirstOrDefault(r => r.Scope == k.Item1 && r.Name == k.Item2);
            // An intent nobody set a rule for is off; a tag follows the configured default.
            var mode = rule?.Mode ?? (k.Item1 == TagScopes.Tag ? defaultMode : TagModes.Name(TagMode.Off));
            return new Row(k.Item1, k.Item2, mode, rule?.Threshold ?? defaults.DefaultThreshold, rule is not null, precision.GetValueOrDefault(k.Item2));
        }).ToList();
        var canChange = http.User.Can(AccessPolicies.Operations);
        var audit = await store.AuditAsync(50, ct);

        var body = Html.Of($"""
            {StatusMessages.Line(saved, StatusMessages.RuleSaved, StatusMessages.RuleUnchanged)}
            <p class="muted">Unset tags follow the default: <strong id="default-mode">{defaultMode}</strong> at {defaults.DefaultThreshold:0.##}. Unset intents are off. Auto applies a tag in Live mode when the confidence reaches the threshold.
            {(canChange ? Html.Empty : Html.Of($"""<br><span id="read-only-note">Your role can read these rules; ops leads change them.</span>"""))}</p>
            <section class="panel" aria-labelledby="rules-heading">
            <h2 id="rules-heading">Rules</h2>
            <table id="tag-rules">
            <thead><tr><th scope="col" class="hide-narrow">Kind</th><th scope="col">Name</th><th scope="col">Mode and threshold</th><th scope="col" class="num">Precision</th></tr></thead>
            <tbody>
            {Html.Join(rows, r => RowHtml(http, r, canChange))}
            </tbody>
            </table>
            {Html.When(rows.Count == 0, Html.Of($"""<p class="muted" id="no-rules">No tags or intents known yet: import history (<code>history import</code>) or add a rule below.</p>"""))}
            </section>
            {(canChange ? NewRuleForm(http, defaults.DefaultThreshold) : Html.Empty)}
            <section class="panel" aria-labelledby="audit-heading">
            <h2 id="audit-heading">Audit of changes</h2>
            <table id="tagging-audit">
            <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
            <tbody>
            {Html.Join(audit, a => Html.Of($"""<tr><td>{a.At:yyyy-MM-dd HH:mm:ss}</td><td class="audit-who">{a.Who}</td><td>{a.Scope}</td><td>{a.Name}</td><td>{State(a.Before)}</td><td>{State(a.After)}</td></tr>"""))}
            </tbody>
            </table>
            </section>
            """);
        return ConsoleLayout.Page(http, "Auto-tagging", "tagging", body);
    }

    private static string State(TagRuleState? s) => s is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{s.Mode} ≥ {s.Threshold:0.##}");

    private static Html RowHtml(HttpContext http, Row r, bool canChange)
    {
        var id = ConsoleIds.For(r.Scope, r.Name);
        var precision = r.Precision is { Precision: { } p } pr
            ? Html.Of($"""<span title="{pr.Kept} kept of {pr.Kept + pr.Dropped} settled">{SvgCharts.Percent(p)}</span> <span class="muted">({pr.Kept}/{pr.Kept + pr.Dropped})</span>""")
            : Html.Of($"""<span class="muted">no outcomes yet</span>""");
        var control = canChange
            ? Html.Of($"""
                <form method="post" action="/console/tagging" class="inline" id="rule-{id}">
                  {ConsoleLayout.AntiforgeryField(http)}
                  <input type="hidden" name="scope" value="{r.Scope}"><input type="hidden" name="name" value="{r.Name}">
                  <label for="mode-{id}">Mode<span class="sr-only"> for {r.Name}</span>{ModeSelect($"mode-{id}", r.Mode)}</label>
                  <label for="threshold-{id}">Threshold <input id="threshold-{id}" name="threshold" type="number" min="0" max="1" step="0.05" value="{r.Threshold:0.##}" required></label>
                  <button id="save-{id}" type="submit">Save</button>
                </form>
                """)
            : Html.Of($"""<span id="mode-{id}" class="badge">{r.Mode}</span> at {r.Threshold:0.##}""");
        return Html.Of($"""
            <tr id="row-{id}"><td class="hide-narrow">{r.Scope}</td><td>{r.Name}<span class="sr-only"> ({r.Scope})</span>{Html.When(!r.HasRule, new Html(" <span class=\"muted\">(default)</span>"))}</td><td>{control}</td><td class="num" id="precision-{id}">{precision}</td></tr>
            """);
    }

    private static Html ModeSelect(string id, string selected) => Html.Of($"""
        <select id="{id}" name="mode">{Html.Join(new[] { "off", "suggest", "auto" }, m => Html.Of($"""<option value="{m}"{Html.When(m == selected, new Html(" selected"))}>{m}</option>"""))}</select>
        """);

    private static Html NewRuleForm(HttpContext http, double threshold) => Html.Of($"""
        <section class="panel" aria-labelledby="new-rule-heading">
        <h2 id="new-rule-heading">Add or change a rule</h2>
        <form method="post" action="/console/tagging" class="inline" id="new-rule">
          {ConsoleLayout.AntiforgeryField(http)}
          <label for="new-scope">Kind <select id="new-scope" name="scope"><option value="tag">tag</option><option value="intent">intent</option></select></label>
          <label for="new-name">Name <input id="new-name" name="name" required maxlength="80" pattern="\S+"></label>
          <label for="new-mode">Mode{ModeSelect("new-mode", "suggest")}</label>
          <label for="new-threshold">Threshold <input id="new-threshold" name="threshold" type="number" min="0" max="1" step="0.05" value="{threshold:0.##}" required></label>
          <button id="new-save" type="submit">Save rule</button>
        </form>
        </section>
        """);

    private static async Task<IResult> SaveAsync(HttpContext http, TaggingStore store, IValidator<TagRuleRequest> validator, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var scope = form["scope"].ToString();
        var name = form["name"].ToString().Trim();
        var mode = form["mode"].ToString();
        double? threshold = double.TryParse(form["threshold"].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : null;
        var errors = new List<string>();
        if (scope is not (TagScopes.Tag or TagScopes.Intent))
            errors.Add("'scope' must be tag or intent.");
        if (name.Length is 0 or > 80 || name.Any(char.IsWhiteSpace))
            errors.Add("The name must be 1 to 80 characters without spaces.");
        var result = await validator.ValidateAsync(new TagRuleRequest(mode, threshold), ct);
        errors.AddRange(result.Errors.Select(e => e.ErrorMessage));
        if (errors.Count > 0)
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Rule not saved", string.Join(" ", errors));
        var entry = await store.SetAsync(scope, name, new TagRuleState(mode, threshold!.Value), http.User.ActorName(), ct);
        return StatusMessages.Redirect("/console/tagging", entry is null ? StatusMessages.RuleUnchanged : StatusMessages.RuleSaved);
    }
}

/// <summary>Element ids built from names a user typed: stable, and only characters an id selector takes as is.</summary>
internal static class ConsoleIds
{
    public static string For(params string[] parts) =>
        string.Join('-', parts.Select(p => new string(p.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray())));
}
