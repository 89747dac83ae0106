using FluentValidation;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Settings;

namespace HelpdeskSidecar.WebConsole;

/// <summary>The mode part of the policy page: Sidecar:Mode, the policy's own modes, and the overrides per brand and intent.</summary>
internal static partial class PolicyPage
{
    private static readonly string[] OverrideModes = ["shadow", "live", ModeOverrideStore.Inherit];

    private static async Task<Html> ModesAsync(HttpContext http, PolicySnapshot snapshot, ModeOverrideStore modes, SidecarMode global, bool canChange, CancellationToken ct)
    {
        var overrides = await modes.ListAsync(ct);
        var ruleModes = snapshot.Policy.Rules.Where(r => r.Outcome.Mode is not null && r.SetsMode).ToList();
        return Html.Of($"""
            <section class="panel" aria-labelledby="mode-heading">
            <h2 id="mode-heading">Mode per brand and intent</h2>
            <p class="muted" id="mode-precedence">Shadow stores suggestions and writes nothing; Live writes the notes. For each ticket the first of these that applies decides:
            a policy rule's own <code>mode</code> (safety rules win), the intent's override, the brand's override, the policy's <code>defaults</code> mode, <code>Sidecar:Mode</code>.</p>
            <table id="modes"><thead><tr><th scope="col">Applies to</th><th scope="col">Mode</th><th scope="col">Set by</th></tr></thead><tbody>
            {Html.Join(ruleModes, r => Html.Of($"""<tr><td>{(r.Match.Brand is { Count: > 0 } b ? "brand " + string.Join(", ", b) : "where the rule matches")}</td><td>{r.Outcome.Mode.ToString()}</td><td>policy rule {r.Name} (wins over overrides)</td></tr>"""))}
            {Html.Join(overrides, o => OverrideRow(http, o, canChange))}
            {Html.When(snapshot.Policy.Defaults.Mode is not null, Html.Of($"""<tr><td>every other brand and intent</td><td>{snapshot.Policy.Defaults.Mode.ToString()}</td><td>policy defaults</td></tr>"""))}
            <tr><td>{(snapshot.Policy.Defaults.Mode is null ? "every other brand and intent" : "(not reached while the policy's defaults set a mode)")}</td><td><strong id="mode-default">{global.ToString()}</strong></td><td>Sidecar:Mode</td></tr>
            </tbody></table>
            {Html.When(overrides.Count == 0, Html.Of($"""<p class="muted" id="no-overrides">No brand or intent overrides: every ticket follows the policy and Sidecar:Mode.</p>"""))}
            {(canChange ? NewOverrideForm(http) : Html.Empty)}
            </section>
            """);
    }

    private static Html OverrideRow(HttpContext http, ModeOverride o, bool canChange)
    {
        var id = ConsoleIds.For(o.Scope, o.Key);
        var control = canChange
            ? Html.Of($"""
                <form method="post" action="/console/policy/modes" class="inline" id="override-form-{id}">
                  {ConsoleLayout.AntiforgeryField(http)}
                  <input type="hidden" name="scope" value="{o.Scope}"><input type="hidden" name="key" value="{o.Key}">
                  <label for="override-mode-{id}">Mode<span class="sr-only"> for {o.Scope} {o.Key}</span> {ModeSelect($"override-mode-{id}", o.Mode, OverrideModes)}</label>
                  <button id="override-save-{id}" type="submit">Save</button>
                </form>
                """)
            : Html.Of($"""<span class="badge" id="override-mode-{id}">{o.Mode}</span>""");
        return Html.Of($"""<tr id="override-{id}"><td>{o.Scope} <strong>{o.Key}</strong></td><td>{control}</td><td>override by {o.UpdatedBy}, {o.UpdatedAt:yyyy-MM-dd HH:mm} UTC</td></tr>""");
    }

    private static Html ModeSelect(string id, string selected, IEnumerable<string> options) => Html.Of($"""
        <select id="{id}" name="mode">{Html.Join(options, m => Html.Of($"""<option value="{m}"{Html.When(m == selected, new Html(" selected"))}>{m}</option>"""))}</select>
        """);

    private static Html NewOverrideForm(HttpContext http) => Html.Of($"""
        <h3 id="new-override-heading">Set the mode for a brand or an intent</h3>
        <form method="post" action="/console/policy/modes" class="inline" id="new-override" aria-labelledby="new-override-heading">
          {ConsoleLayout.AntiforgeryField(http)}
          <label for="override-scope">Kind <select id="override-scope" name="scope"><option value="{ModeScopes.Brand}">brand</option><option value="{ModeScopes.Intent}">intent</option></select></label>
          <label for="override-key">Brand id or intent <input id="override-key" name="key" required maxlength="80" pattern="\S+" autocomplete="off"></label>
          <label for="override-mode">Mode {ModeSelect("override-mode", "live", OverrideModes)}</label>
          <button id="override-save" type="submit">Save mode</button>
        </form>
        """);

    private static async Task<IResult> SaveModeAsync(HttpContext http, ModeOverrideStore store, IValidator<ModeRequest> validator, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var scope = form["scope"].ToString();
        var key = form["key"].ToString().Trim();
        var mode = form["mode"].ToString();
        var errors = new List<string>();
        if (scope is not (ModeScopes.Brand or ModeScopes.Intent))
            errors.Add("'scope' must be brand or intent.");
        else if (SettingsEndpoints.CheckKey(scope, key) is { } problem)
            errors.Add(problem);
        errors.AddRange((await validator.ValidateAsync(new ModeRequest(mode), ct)).Errors.Select(e => e.ErrorMessage));
        if (errors.Count > 0)
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Mode not saved", string.Join(" ", errors));
        var entry = await store.SetAsync(scope, key, mode, http.User.ActorName(), ct);
        return StatusMessages.Redirect("/console/policy", entry is null ? StatusMessages.ModeUnchanged : StatusMessages.ModeSaved);
    }
}
