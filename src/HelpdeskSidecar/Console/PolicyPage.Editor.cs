using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Settings;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// The policy editor: the file's YAML in a textarea; Save validates first. A rejected text is shown again with its
/// errors next to its numbered lines and stays in the editor; the file is not touched.
/// </summary>
internal static partial class PolicyPage
{
    private static Html Editor(HttpContext http, PolicyFileText? file, Rejected? rejected)
    {
        if (file is null)
            return Html.Of($"""<section class="panel" aria-labelledby="editor-heading"><h2 id="editor-heading">Edit the policy</h2>{NotConfigured()}</section>""");
        var text = rejected?.Text ?? file.Text ?? "";
        var baseSha = rejected is null ? file.Sha256 : rejected.BaseSha256;
        return Html.Of($"""
            <section class="panel" aria-labelledby="editor-heading">
            <h2 id="editor-heading">Edit the policy</h2>
            {(rejected is null ? Html.Empty : Html.Of($"""
                <div class="message error" id="editor-errors" role="alert"><p>Not saved; the file on disk was not changed. {rejected.Reason ?? $"{rejected.Errors.Count} problem(s) in your text:"}</p>
                <ul>{Html.Join(rejected.Errors, e => Html.Of($"""<li class="editor-error"><a href="#edit-line-{e.Line}">line {e.Line}, column {e.Column}</a>: {e.Message}</li>"""))}</ul></div>
                {Html.When(rejected.Errors.Count > 0, Html.Of($"""<div class="source-lines" id="submitted-lines" aria-label="Your text with the errors under their lines">{Html.Join(Lines(rejected.Text), l => Line("edit-line", l.no, l.text, rejected.Errors))}</div>"""))}
                """))}
            <form method="post" action="/console/policy/file" id="policy-editor">
              {ConsoleLayout.AntiforgeryField(http)}
              <input type="hidden" name="base_sha256" value="{baseSha}">
              <label for="policy-text">Policy file (YAML) <span class="muted path">{file.Path}</span></label>
              <textarea id="policy-text" name="text" class="code" rows="24" spellcheck="false" aria-describedby="editor-help">
            {text}</textarea>
              <div class="editor-actions"><button id="policy-save" type="submit">Validate and save</button>
              <span class="muted" id="editor-help">Checked before anything is written: a policy with errors is not saved. A valid one replaces the file and is in force at once.</span></div>
            </form>
            </section>
            """);
    }

    private static async Task<IResult> SaveFileAsync(HttpContext http, PolicyProvider provider, ModeOverrideStore modes, PolicyFileEditor editor,
        SettingsAudit audit, IOptions<SidecarOptions> options, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        // Browsers send a textarea's line breaks as CRLF; the file keeps plain LF.
        var text = form["text"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        var baseSha = form["base_sha256"].ToString();
        var save = await editor.SaveAsync(text, baseSha, http.User.ActorName(), ct);
        switch (save.Outcome)
        {
            case PolicySaveOutcome.Saved:
                return StatusMessages.Redirect("/console/policy", StatusMessages.PolicySaved);
            case PolicySaveOutcome.NotConfigured:
                return ConsoleLayout.Message(http, StatusCodes.Status409Conflict, "Policy not saved", PolicyFileEditor.NotConfiguredReason);
            case PolicySaveOutcome.Stale:
                // Keep the person's text; a second Save replaces the newer file on purpose.
                return await ShowAsync(http, provider, modes, editor, audit, options, null,
                    new Rejected(text, editor.Read()?.Sha256, [], "Someone saved the file after you opened the editor. Your text is kept below and the newer file is shown at the bottom; Save again to replace it."), ct);
            default:
                return await ShowAsync(http, provider, modes, editor, audit, options, null, new Rejected(text, baseSha, save.Errors, save.Reason), ct);
        }
    }
}
