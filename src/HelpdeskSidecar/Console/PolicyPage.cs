using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Settings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/policy</c>: the policy in force (the last good one when the file was rejected) with each validation error
/// under its line; the mode per brand and per intent with the overrides ops leads set here; an editor for the policy
/// file; and the audit of these changes. Ops leads and admins change; managers read. Changes go through the same
/// <see cref="ModeOverrideStore"/> and <see cref="PolicyFileEditor"/> as <c>/api/settings</c> and <c>PUT /api/policy</c>.
/// </summary>
internal static partial class PolicyPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/policy", (HttpContext http, PolicyProvider provider, ModeOverrideStore modes, PolicyFileEditor editor, SettingsAudit audit,
            IOptions<SidecarOptions> options, string? saved, CancellationToken ct) => ShowAsync(http, provider, modes, editor, audit, options, saved, null, ct))
            .RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/policy/modes", SaveModeAsync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
        console.MapPost("/policy/file", SaveFileAsync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
    }

    /// <summary>A submitted policy text that was not saved, and why: shown in the editor instead of the file.</summary>
    private sealed record Rejected(string Text, string? BaseSha256, IReadOnlyList<PolicyError> Errors, string? Reason);

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, PolicyProvider provider, ModeOverrideStore modes, PolicyFileEditor editor,
        SettingsAudit audit, IOptions<SidecarOptions> options, string? saved, Rejected? rejected, CancellationToken ct)
    {
        // Checked now, not at the next reload interval, so what the page says in force and what it says of the file
        // on disk describe the same moment.
        var snapshot = provider.Reload();
        var file = editor.Read();
        var errors = snapshot.LastErrors;
        var state = SettingsEndpoints.PolicyState(snapshot, file);
        var canChange = http.User.Can(AccessPolicies.Operations);
        var modeSection = await ModesAsync(http, snapshot, modes, options.Value.Mode, canChange, ct);
        var auditSection = await AuditAsync(audit, ct);
        var inForce = snapshot.Source == PolicyProvider.BuiltInSource
            ? "the built-in policy (draft, summary and tags for every ticket, public FAQ and articles only)"
            : $"the last good version of the file, loaded {snapshot.LoadedAt:yyyy-MM-dd HH:mm:ss} UTC";
        var body = Html.Of($"""
            {StatusMessages.Line(saved, StatusMessages.ModeSaved, StatusMessages.ModeUnchanged, StatusMessages.PolicySaved)}
            <section class="panel" aria-labelledby="in-force-heading" data-policy-state="{state}">
            <h2 id="in-force-heading">In force</h2>
            <p id="policy-source">{(snapshot.Source == PolicyProvider.BuiltInSource ? "The built-in policy" : $"From {snapshot.Source}")}, loaded {snapshot.LoadedAt:yyyy-MM-dd HH:mm:ss} UTC: {RuleCount(snapshot.Policy.Rules.Count)}.</p>
            {state switch
            {
                "not_configured" => Html.Of($"""<p class="message" id="policy-built-in" role="status">No policy file is configured (<code>Sidecar:Policy:File</code>), so the built-in policy is in force.</p>"""),
                "valid" => Html.Of($"""<p class="message" id="policy-valid" role="status">The file is valid and in force.</p>"""),
                "unreadable" => Html.Of($"""<p class="message error" id="policy-errors" role="alert">The file cannot be read: {file?.Problem ?? errors.FirstOrDefault()?.Message}; {inForce} stays in force.</p>"""),
                _ => Html.Of($"""
                    <div class="message error" id="policy-errors" role="alert"><p>The file was rejected; {inForce} stays in force. {errors.Count} problem(s):</p>
                    <ul>{Html.Join(errors, e => Html.Of($"""<li class="policy-error"><a href="#line-{e.Line}">{Path.GetFileName(e.File)} line {e.Line}, column {e.Column}</a>: {e.Message}</li>"""))}</ul></div>
                    """),
            }}
            {Html.When(snapshot.Warnings.Count > 0, Html.Of($"""
                <div class="message warning" id="policy-warnings" role="status"><p>Accepted, but check {snapshot.Warnings.Count} warning(s):</p>
                <ul>{Html.Join(snapshot.Warnings, w => Html.Of($"""<li class="policy-warning"><a href="#line-{w.Line}">{Path.GetFileName(w.File)} line {w.Line}, column {w.Column}</a>: {w.Message}</li>"""))}</ul></div>
                """))}
            {(canChange ? Html.Empty : Html.Of($"""<p class="muted" id="read-only-note">Your role can read the mode and the policy; ops leads change them.</p>"""))}
            </section>
            {modeSection}
            {(canChange ? Editor(http, file, rejected) : Html.Empty)}
            <section class="panel" aria-labelledby="file-heading">
            <h2 id="file-heading">The file on disk</h2>
            {(file is null ? (canChange ? Html.Of($"""<p class="muted">No file is configured; see above.</p>""") : NotConfigured())
                : file.Text is null ? Html.Of($"""<p class="message error" id="policy-unreadable">{file.Path}: {file.Problem}</p>""")
                : Html.Of($"""<p class="muted" id="policy-path">{file.Path} <span class="hide-narrow">(sha256 {file.Sha256})</span></p><div class="source-lines" id="policy-file">{Html.Join(Lines(file.Text), l => Line("line", l.no, l.text, errors, errors.Count == 0 ? snapshot.Warnings : []))}</div>"""))}
            </section>
            {auditSection}
            """);
        return ConsoleLayout.Page(http, "Policy", "policy", body, rejected is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static string RuleCount(int count) => count == 1 ? "1 rule" : $"{count} rules";

    private static Html NotConfigured() => Html.Of($"""
        <div class="message" id="policy-not-configured"><p>No policy file is configured, so the built-in policy is in force (draft, summarise and tag everything from public FAQ and articles only).</p>
        <p>To edit the policy here, set <code>Sidecar:Policy:File</code> to a YAML file the sidecar may write (for example a copy of <code>samples/policy.yaml</code>):
        in <code>appsettings.json</code>, as the environment variable <code>Sidecar__Policy__File</code>, or on the command line as <code>--Sidecar:Policy:File=…</code>; then restart the sidecar.</p></div>
        """);

    private static IEnumerable<(int no, string text)> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select((t, i) => (i + 1, t));

    /// <param name="warnings">Only for the file in force: the warnings are about that text.</param>
    private static Html Line(string idPrefix, int no, string text, IReadOnlyList<PolicyError> errors, IReadOnlyList<PolicyError>? warnings = null)
    {
        var here = errors.Where(e => e.Line == no).ToList();
        var warned = (warnings ?? []).Where(w => w.Line == no).ToList();
        return Html.Of($"""<span class="line{(here.Count > 0 ? " error-line" : warned.Count > 0 ? " warning-line" : "")}" id="{idPrefix}-{no}"><span class="no">{no}</span>{text}</span>{Html.Join(here, e => Html.Of($"""<span class="line-error" role="note">↑ column {e.Column}: {e.Message}</span>"""))}{Html.Join(warned, w => Html.Of($"""<span class="line-warning" role="note">↑ column {w.Column}: {w.Message}</span>"""))}""");
    }

    private static async Task<Html> AuditAsync(SettingsAudit audit, CancellationToken ct)
    {
        var entries = await audit.ListAsync(50, ct);
        return Html.Of($"""
            <section class="panel" aria-labelledby="audit-heading">
            <h2 id="audit-heading">Audit of changes</h2>
            <table id="settings-audit">
            <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
            <tbody>
            {Html.Join(entries, a => Html.Of($"""<tr><td>{a.At:yyyy-MM-dd HH:mm:ss}</td><td class="audit-who">{a.Who}</td><td>{(a.Scope == ModeScopes.PolicyFile ? $"policy file {Path.GetFileName(a.Key)}" : $"{a.Scope} {a.Key}")}</td><td>{Short(a.Scope, a.Before)}</td><td>{Short(a.Scope, a.After)}</td></tr>"""))}
            </tbody>
            </table>
            {Html.When(entries.Count == 0, Html.Of($"""<p class="muted" id="no-audit">No changes yet.</p>"""))}
            </section>
            """);
    }

    /// <summary>Hashes are long: the first 12 characters tell edits apart; the title holds the whole hash.</summary>
    private static Html Short(string scope, string? value) =>
        value is null ? Html.Of($"—")
        : scope == ModeScopes.PolicyFile ? Html.Of($"""<code title="sha256 {value}">{value[..Math.Min(12, value.Length)]}</code>""")
        : Html.Of($"{value}");
}
