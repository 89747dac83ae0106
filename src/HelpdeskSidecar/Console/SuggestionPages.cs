using System.Globalization;
using HelpdeskSidecar.Suggestions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary><c>/console/suggestions</c> (filter by ticket, kind, verdict) and <c>/console/suggestions/{id}</c> (the note as sent and the whole trace).</summary>
internal static class SuggestionPages
{
    private const int Limit = 500;
    private static readonly string[] Verdicts = ["pending", "sent_as_is", "edited", "rejected", "no_reply", "superseded", "not_applicable"];

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/suggestions", ListAsync);
        console.MapGet("/suggestions/{id}", DetailAsync);
    }

    private static async Task<ContentHttpResult> ListAsync(HttpContext http, SuggestionStore store, string? ticket, string? kind, string? verdict, CancellationToken ct)
    {
        ticket = string.IsNullOrWhiteSpace(ticket) ? null : ticket.Trim();
        var kinds = Enum.GetNames<SuggestionKind>();
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(kind) && !kinds.Contains(kind, StringComparer.Ordinal))
            errors.Add($"Unknown kind '{Hosting.Excerpt.Of(kind)}': the kind must be one of {string.Join(", ", kinds)}.");
        if (!string.IsNullOrEmpty(verdict) && !Verdicts.Contains(verdict, StringComparer.Ordinal))
            errors.Add($"Unknown verdict '{Hosting.Excerpt.Of(verdict)}': the verdict must be one of {string.Join(", ", Verdicts)}.");
        // A bad filter is a mistake to point out, not an empty list that looks like "no suggestions".
        IReadOnlyList<Suggestion> all = errors.Count > 0 ? [] : await store.ListAsync(ticket, Limit, ct);
        var shown = all
            .Where(s => string.IsNullOrEmpty(kind) || s.Kind.ToString() == kind)
            .Where(s => string.IsNullOrEmpty(verdict) || (Suggestions.Acceptance.Verdicts.Shown(s) ?? "pending") == verdict)
            .ToList();
        var body = Html.Of($"""
            <form method="get" action="/console/suggestions" class="inline panel" id="suggestion-filter" data-autosubmit>
              <label for="filter-ticket">Ticket <input id="filter-ticket" name="ticket" value="{ticket}" inputmode="numeric"></label>
              <label for="filter-kind">Kind <select id="filter-kind" name="kind">{Options(kinds, kind)}</select></label>
              <label for="filter-verdict">Verdict <select id="filter-verdict" name="verdict">{Options(Verdicts, verdict)}</select></label>
              <button id="filter-apply" type="submit">Filter</button>
              <a href="/console/suggestions" id="filter-clear">Clear</a>
            </form>
            {Html.When(errors.Count > 0, Html.Of($"""<div class="message error" id="filter-error" role="alert">{Html.Join(errors, e => Html.Of($"<p>{e}</p>"))}</div>"""))}
            <section class="panel">
            <p class="muted" id="suggestion-count">{shown.Count} suggestions{(all.Count == Limit ? Html.Of($" (among the newest {Limit})") : Html.Empty)}.</p>
            <table id="suggestions-table">
            <thead><tr><th scope="col">Created (UTC)</th><th scope="col">Ticket</th><th scope="col">Kind</th><th scope="col" class="hide-narrow">Intent</th><th scope="col" class="hide-narrow">Status</th><th scope="col">Verdict</th><th scope="col" class="num hide-narrow">Similarity</th></tr></thead>
            <tbody>
            {Html.Join(shown, s => Html.Of($"""
                <tr data-suggestion-id="{s.Id}"><td><a class="suggestion-link" href="/console/suggestions/{Uri.EscapeDataString(s.Id)}">{s.CreatedAt:yyyy-MM-dd HH:mm}</a></td>
                <td>{s.Provider} #{s.TicketId}</td><td>{s.Kind.ToString()}</td><td class="hide-narrow">{s.Trace.Understanding?.Intent?.Label ?? "—"}</td>
                <td class="hide-narrow">{s.Status.ToString()}</td><td>{VerdictBadge(Suggestions.Acceptance.Verdicts.Shown(s))}</td><td class="num hide-narrow">{Number(s.Similarity)}</td></tr>
                """))}
            </tbody>
            </table>
            </section>
            """);
        return ConsoleLayout.Page(http, "Suggestions", "suggestions", body, errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static Html Options(IEnumerable<string> values, string? selected) =>
        Html.Of($"""<option value="">any</option>{Html.Join(values, v => Html.Of($"""<option value="{v}"{Html.When(v == selected, new Html(" selected"))}>{v}</option>"""))}""");

    internal static Html VerdictBadge(string? verdict) => verdict switch
    {
        null => Html.Of($"""<span class="badge">pending</span>"""),
        Suggestions.Acceptance.Verdicts.NotApplicable => Html.Of($"""<span class="badge" title="No draft, so no verdict">n/a</span>"""),
        Suggestions.Acceptance.Verdicts.Superseded => Html.Of($"""<span class="badge" title="A newer customer message got its own suggestion">superseded</span>"""),
        "sent_as_is" or "edited" => Html.Of($"""<span class="badge ok">{verdict}</span>"""),
        "rejected" => Html.Of($"""<span class="badge bad">{verdict}</span>"""),
        _ => Html.Of($"""<span class="badge warn">{verdict}</span>"""),
    };

    private static string Number(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";

    private static async Task<ContentHttpResult> DetailAsync(HttpContext http, SuggestionStore store, string id, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } s)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", $"There is no suggestion '{id}'.");
        var t = s.Trace;
        var u = t.Understanding;
        var injection = t.Guardrails.FirstOrDefault(g => g.Name == Copilot.Guardrails.GuardrailNames.PromptInjection && !g.Passed);
        var body = Html.Of($"""
            <p><a href="/console/suggestions?ticket={Uri.EscapeDataString(s.TicketId)}" id="ticket-suggestions">All suggestions on {s.Provider} ticket #{s.TicketId}</a></p>
            {Html.When(injection is not null, Html.Of($"""<p class="message error" id="injection-warning" role="alert">⚠ This ticket contains text that tries to instruct the assistant. {injection?.Detail} Review the ticket and the note carefully.</p>"""))}
            <div class="cards">
              <div class="card"><div class="value" id="detail-kind">{s.Kind.ToString()}</div><div class="label">Kind</div></div>
              <div class="card"><div class="value" id="verdict">{VerdictBadge(Suggestions.Acceptance.Verdicts.Shown(s))}</div><div class="label">Agent's verdict{(s.VerdictSource is null ? Html.Empty : Html.Of($" (from {s.VerdictSource})"))}</div></div>
              <div class="card"><div class="value" id="similarity">{Number(s.Similarity)}</div><div class="label">Similarity to the reply</div></div>
              <div class="card"><div class="value" id="detail-status">{s.Status.ToString()}</div><div class="label">{s.Mode} mode · {s.WriteAttempts} write attempts</div></div>
            </div>
            {Html.When(s.VerdictReason is not null, Html.Of($"""<p id="verdict-reason">Reason: {s.VerdictReason}</p>"""))}
            <section class="panel" aria-labelledby="note-heading"><h2 id="note-heading">The note as sent</h2><pre id="note">{s.Note}</pre>
            {Html.When(s.StatusReason is not null, Html.Of($"""<p class="muted" id="status-reason">{s.StatusReason}</p>"""))}</section>
            <section class="panel" id="trace" aria-labelledby="trace-heading"><h2 id="trace-heading">Trace</h2>
            <h3>Understanding</h3>
            <dl id="trace-understanding">
              <dt>Intent</dt><dd>{(u?.Intent is { } i ? Html.Of($"{i.Label} ({i.Confidence:0.00})") : Html.Of($"—"))}</dd>
              <dt>Tags</dt><dd>{(u is { Tags.Count: > 0 } ? Html.Of($"{string.Join(", ", u.Tags.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Label} ({x.Confidence:0.00})")))}") : Html.Of($"—"))}</dd>
              <dt>Language</dt><dd>{u?.Language ?? "—"}</dd>
              <dt>Sentiment / urgency</dt><dd>{u?.Sentiment?.Level ?? "—"} / {u?.Urgency?.Level ?? "—"}</dd>
              <dt>Redactions</dt><dd>{(u is { Redactions.Count: > 0 } ? string.Join(", ", u.Redactions.Select(r => $"{r.Key}: {r.Value}")) : "none")}</dd>
            </dl>
            <h3>Policy</h3>
            <p id="trace-policy">{(t.Policy is { } p ? Html.Of($"rule <strong>{p.Rule}</strong> from {p.Source}; matched {(p.Matched.Count == 0 ? "defaults" : string.Join(", ", p.Matched))}; tiers {string.Join(", ", p.Tiers)}; {p.Visibility}; actions {string.Join(", ", p.Actions)}{(p.Mode is null ? "" : $"; mode {p.Mode}")}{(p.ModeSetBy is null ? "" : $" (set by {p.ModeSetBy})")}{(p.Escalate ? $"; escalated: {p.EscalationReason}" : "")}") : Html.Of($"No policy decision recorded."))}</p>
            <h3>Sources</h3>
            <table id="trace-sources"><thead><tr><th scope="col">#</th><th scope="col">Title</th><th scope="col" class="hide-narrow">Section</th><th scope="col" class="num">Score</th></tr></thead><tbody>
            {Html.Join(t.Sources, src => Html.Of($"""<tr><td>{src.Number}</td><td>{(src.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" ? Html.Of($"""<a href="{url}" rel="noreferrer">{src.Title}</a>""") : Html.Of($"{src.Title}"))}</td><td class="hide-narrow">{src.HeadingPath}</td><td class="num">{src.Score:0.000}</td></tr>"""))}
            </tbody></table>
            {Html.When(t.Sources.Count == 0, Html.Of($"""<p class="muted">No sources.</p>"""))}
            <h3>Guardrails</h3>
            <ul id="trace-guardrails">{Html.Join(t.Guardrails, g => Html.Of($"""<li><span class="badge {(g.Passed ? "ok" : "bad")}">{(g.Passed ? "pass" : "fail")}</span> {g.Name}: {g.Detail}</li>"""))}</ul>
            {Html.When(t.Guardrails.Count == 0, Html.Of($"""<p class="muted">No guardrail results.</p>"""))}
            <h3>Tagging</h3>
            <ul id="trace-tagging">{Html.Join(t.Tagging, d => Html.Of($"""<li>{d.Scope} <strong>{d.Tag}</strong> {d.Confidence:0.00} vs {d.Threshold:0.00} ({d.Mode}) → {d.Action}</li>"""))}</ul>
            <h3>Model</h3>
            <p id="trace-model">{(t.Model is { } m ? Html.Of($"{m.Provider} {m.Model}, prompt {m.PromptVersion}; {m.Calls} calls, {m.InputTokens} in / {m.OutputTokens} out tokens, ${m.CostUsd:0.0000}, {m.LatencyMs:0} ms{(m.Fallback is null ? "" : $"; fallback: {m.Fallback}")}") : Html.Of($"Drafter {t.Drafter} (no language model)."))}
            Confidence {t.Confidence:0.00}. {t.Reason}</p>
            <h3>Timings</h3>
            <p id="trace-timings">load ticket {t.TimingsMs.LoadTicket:0.0} ms · retrieve {t.TimingsMs.Retrieve:0.0} ms · draft {t.TimingsMs.Draft:0.0} ms · total {t.TimingsMs.Total:0.0} ms</p>
            </section>
            """);
        return ConsoleLayout.Page(http, $"Suggestion {s.Id}", "suggestions", body);
    }
}
