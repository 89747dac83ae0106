using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/policy</c>: the policy file as it is on disk, with each validation error under its line; the policy in
/// force (the last good one when the file was rejected); and the mode per brand (the global mode, and the rules that
/// set a mode for a brand). Editing happens in the file; the sidecar picks it up within the reload interval.
/// </summary>
internal static class PolicyPage
{
    public static void Map(RouteGroupBuilder console) => console.MapGet("/policy", Show).RequireAuthorization(AccessPolicies.Oversight);

    private static ContentHttpResult Show(HttpContext http, PolicyProvider provider, IOptions<SidecarOptions> options)
    {
        var snapshot = provider.Current;
        var file = options.Value.Policy.File;
        var path = string.IsNullOrWhiteSpace(file) ? null : Path.GetFullPath(file);
        string[]? lines = null;
        if (path is not null)
        {
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lines = null;
            }
        }
        var errors = snapshot.LastErrors;
        var brandRules = snapshot.Policy.Rules.Where(r => r.Outcome.Mode is not null).ToList();
        var body = Html.Of($"""
            <section class="panel" aria-labelledby="in-force-heading">
            <h2 id="in-force-heading">In force</h2>
            <p id="policy-source">{(snapshot.Source == PolicyProvider.BuiltInSource ? "The built-in policy (no Sidecar:Policy:File configured)" : $"From {snapshot.Source}")}, loaded {snapshot.LoadedAt:yyyy-MM-dd HH:mm:ss} UTC: {snapshot.Policy.Rules.Count} rules.</p>
            {(errors.Count == 0
                ? Html.Of($"""<p class="message" id="policy-valid" role="status">The file is valid and in force.</p>""")
                : Html.Of($"""
                    <div class="message error" id="policy-errors" role="alert"><p>The file was rejected; the last good policy stays in force. {errors.Count} problem(s):</p>
                    <ul>{Html.Join(errors, e => Html.Of($"""<li class="policy-error"><a href="#line-{e.Line}">{Path.GetFileName(e.File)} line {e.Line}, column {e.Column}</a>: {e.Message}</li>"""))}</ul></div>
                    """))}
            </section>
            <section class="panel" aria-labelledby="mode-heading">
            <h2 id="mode-heading">Mode per brand</h2>
            <table id="modes"><thead><tr><th scope="col">Brand</th><th scope="col">Mode</th><th scope="col">Set by</th></tr></thead><tbody>
            <tr><td>every brand</td><td><strong id="mode-default">{options.Value.Mode.ToString()}</strong></td><td>Sidecar:Mode</td></tr>
            {Html.Join(brandRules, r => Html.Of($"""<tr><td>{(r.Match.Brand is { Count: > 0 } b ? string.Join(", ", b) : "where the rule matches")}</td><td>{r.Outcome.Mode.ToString()}</td><td>policy rule {r.Name}</td></tr>"""))}
            </tbody></table>
            </section>
            <section class="panel" aria-labelledby="file-heading">
            <h2 id="file-heading">The file</h2>
            {(path is null ? Html.Of($"""<p class="muted">No policy file is configured; set <code>Sidecar:Policy:File</code>.</p>""")
                : lines is null ? Html.Of($"""<p class="message error">{path} cannot be read.</p>""")
                : Html.Of($"""<p class="muted" id="policy-path">{path}</p><div class="source-lines" id="policy-file">{Html.Join(lines.Select((text, i) => (text, no: i + 1)), l => Line(l.no, l.text, errors))}</div>"""))}
            </section>
            """);
        return ConsoleLayout.Page(http, "Policy", "policy", body);
    }

    private static Html Line(int no, string text, IReadOnlyList<PolicyError> errors)
    {
        var here = errors.Where(e => e.Line == no).ToList();
        return Html.Of($"""<span class="line{(here.Count > 0 ? " error-line" : "")}" id="line-{no}"><span class="no">{no}</span>{text}</span>{Html.Join(here, e => Html.Of($"""<span class="line-error" role="note">↑ column {e.Column}: {e.Message}</span>"""))}""");
    }
}
