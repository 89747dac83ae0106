using System.Globalization;
using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// One suggestion for the agent: the customer's question (the redacted excerpt), the draft beside the reply the agent
/// really sent as a word diff, the sources with their links, summary, tags, confidence, why there is no draft, the
/// verdict form (stored as the API and the feedback links store it), then the note as sent and the whole trace.
/// </summary>
internal static partial class SuggestionPages
{
    /// <summary>What the verdict form offers, in the agent's words, and the verdict each stores.</summary>
    private static readonly (string Verdict, string Label)[] VerdictChoices =
    [
        (Verdicts.SentAsIs, "Used as is"),
        (Verdicts.Edited, "Used with edits"),
        (Verdicts.Rejected, "Not used"),
    ];

    private static async Task<ContentHttpResult> DetailAsync(
        HttpContext http, SuggestionStore store, IOptions<SidecarOptions> options, string id, string? saved, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } s)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", $"There is no suggestion '{id}'.");
        return Detail(http, s, options, StatusMessages.Line(saved, StatusMessages.VerdictSaved), Html.Empty, StatusCodes.Status200OK);
    }

    private static async Task<IResult> VerdictAsync(
        HttpContext http, SuggestionStore store, IVerdictWriter verdicts, IOptions<SidecarOptions> options, string id, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } s)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", $"There is no suggestion '{id}'.");
        var form = await http.Request.ReadFormAsync(ct);
        var verdict = form["verdict"].ToString();
        var reason = form["reason"].ToString();
        string? error = null;
        if (!FeedbackEndpoint.TakesVerdict(s))
            error = "This suggestion has no draft, so it takes no verdict.";
        else if (!FeedbackRequestValidator.Allowed.Contains(verdict, StringComparer.Ordinal))
            error = "Choose what you did with the draft: used as is, used with edits, or not used.";
        else if (reason.Trim().Length > 500)
            error = "The reason must be 500 characters or fewer.";
        if (error is not null)
        {
            var message = Html.Of($"""<p class="message error" id="verdict-error" role="alert">{error}</p>""");
            return Detail(http, s, options, Html.Empty, message, StatusCodes.Status400BadRequest);
        }
        if (!await verdicts.RecordFeedbackAsync(id, FeedbackEndpoint.AgentVerdict(verdict, reason), ct))
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", $"There is no suggestion '{id}'.");
        return StatusMessages.Redirect($"/console/suggestions/{Uri.EscapeDataString(id)}", StatusMessages.VerdictSaved);
    }

    private static ContentHttpResult Detail(HttpContext http, Suggestion s, IOptions<SidecarOptions> options, Html saved, Html formError, int status)
    {
        var t = s.Trace;
        var u = t.Understanding;
        var injection = t.Guardrails.FirstOrDefault(g => g.Name == Copilot.Guardrails.GuardrailNames.PromptInjection && !g.Passed);
        var ticketUrl = HelpdeskTicketLinks.For(options, s.Provider, s.TicketId);
        var why = PanelSuggestion.WhyNoDraft(s);
        var summary = SummaryOf(s.Note);
        var tags = (u?.Tags ?? []).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Label} ({x.Confidence:0.00})")).ToList();
        var body = Html.Of($"""
            {saved}
            <p class="links"><a href="/console/suggestions?ticket={Uri.EscapeDataString(s.TicketId)}" id="ticket-suggestions">All suggestions on {s.Provider} ticket #{s.TicketId}</a>
            {(ticketUrl is null ? Html.Empty : Html.Of($""" · <a id="ticket-link" href="{ticketUrl}" target="_blank" rel="noopener noreferrer">Open the ticket in {s.Provider}</a>"""))}</p>
            {Html.When(injection is not null, Html.Of($"""<p class="message error" id="injection-warning" role="alert">⚠ This ticket contains text that tries to instruct the assistant. {injection?.Detail} Review the ticket and the note carefully.</p>"""))}
            <div class="cards">
              <div class="card"><div class="value" id="detail-kind">{s.Kind.ToString()}</div><div class="label">Kind</div></div>
              <div class="card"><div class="value" id="verdict">{VerdictBadge(Verdicts.Shown(s))}</div><div class="label">Agent's verdict{(s.VerdictSource is null ? Html.Empty : Html.Of($" (from {s.VerdictSource})"))}</div></div>
              <div class="card"><div class="value" id="similarity">{Number(s.Similarity)}</div><div class="label">Similarity to the reply</div></div>
              <div class="card"><div class="value" id="confidence">{t.Confidence:0.00}</div><div class="label">Confidence</div></div>
              <div class="card"><div class="value" id="detail-status">{s.Status.ToString()}</div><div class="label">{s.Mode} mode · {s.WriteAttempts} write attempts</div></div>
            </div>
            {Html.When(s.VerdictReason is not null, Html.Of($"""<p id="verdict-reason">Reason: {s.VerdictReason}</p>"""))}
            {Html.When(why is not null, Html.Of($"""<p class="message warning" id="why-no-draft"><strong>{WhyHeading(s.Kind)}</strong> {why}</p>"""))}
            <section class="panel" aria-labelledby="question-heading"><h2 id="question-heading">The customer's question</h2>
            {(s.Question is { } q ? Html.Of($"""<blockquote id="question">{q}</blockquote><p class="muted">An excerpt, with personal data replaced by placeholders such as [EMAIL_1].</p>""")
                : Html.Of($"""<p class="muted" id="question">Not kept for this suggestion (made before the console showed questions).</p>"""))}
            </section>
            <div class="compare">
            <section class="panel" aria-labelledby="draft-heading"><h2 id="draft-heading">The draft</h2>
            {(s.Draft is { } draft ? Html.Of($"""<pre id="draft">{draft}</pre>""") : Html.Of($"""<p class="muted" id="draft">No draft.</p>"""))}
            </section>
            <section class="panel" aria-labelledby="reply-heading"><h2 id="reply-heading">The reply the agent sent</h2>
            {ReplyDiff(s)}
            </section>
            </div>
            <section class="panel" aria-labelledby="sources-heading"><h2 id="sources-heading">Sources</h2>
            {(t.Sources.Count == 0 ? Html.Of($"""<p class="muted" id="sources">No sources.</p>""") : Html.Of($"""<ol id="sources">{Html.Join(t.Sources, SourceItem)}</ol>"""))}
            </section>
            <section class="panel" aria-labelledby="about-heading"><h2 id="about-heading">Summary and tags</h2>
            <dl>
              <dt>Summary of the thread</dt><dd id="summary">{(summary is null ? Html.Of($"""<span class="muted">None (the thread was short, or no summary was asked for).</span>""") : Html.Of($"""<pre>{summary}</pre>"""))}</dd>
              <dt>Intent</dt><dd id="intent">{(u?.Intent is { } i ? Html.Of($"{i.Label} ({i.Confidence:0.00})") : Html.Of($"—"))}</dd>
              <dt>Tags</dt><dd id="tags">{(tags.Count > 0 ? string.Join(", ", tags) : "—")}</dd>
            </dl>
            </section>
            {VerdictForm(http, s, formError)}
            <section class="panel" aria-labelledby="note-heading"><h2 id="note-heading">The note as sent</h2><pre id="note">{s.Note}</pre>
            {Html.When(s.StatusReason is not null, Html.Of($"""<p class="muted" id="status-reason">{s.StatusReason}</p>"""))}</section>
            {Trace(s)}
            """);
        return ConsoleLayout.Page(http, $"Suggestion {s.Id}", "suggestions", body, status);
    }

    private static string WhyHeading(SuggestionKind kind) => kind switch
    {
        SuggestionKind.Withheld => "Why the draft was withheld:",
        SuggestionKind.Escalation => "Why it was escalated:",
        _ => "Why there is no draft:",
    };

    private static Html SourceItem(TraceSource src) =>
        src.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https"
            ? Html.Of($"""<li value="{src.Number}"><a href="{url}" rel="noreferrer">{src.Title}</a> <span class="muted">{src.HeadingPath}</span><br><span class="path">{url}</span></li>""")
            : Html.Of($"""<li value="{src.Number}">{src.Title} <span class="muted">{src.HeadingPath}</span></li>""");

    /// <summary>The sent reply, compared with the draft word by word, as the similarity compares them.</summary>
    private static Html ReplyDiff(Suggestion s)
    {
        if (s.Reply is not { } reply)
            return Html.Of($"""<p class="muted" id="reply-diff">Not known yet: it is read from the ticket when an agent answers publicly.</p>""");
        if (s.Draft is not { } draft)
            return Html.Of($"""<pre id="reply-diff">{reply}</pre>""");
        var segments = WordDiff.Of(Verdicts.Comparable(draft), Verdicts.Comparable(reply));
        int Count(DiffOp op) => segments.Where(x => x.Op == op).Sum(x => x.Words.Count(w => w != "\n"));
        return Html.Of($"""
            <p class="muted" id="diff-legend">Compared with the draft word by word (without the greeting line and citation markers, as the similarity is):
            <del>struck through</del> = in the draft, not sent; <ins>underlined</ins> = written by the agent.</p>
            <div class="diff" id="reply-diff">{RenderDiff(segments)}</div>
            <p class="muted" id="diff-counts">{Count(DiffOp.Same)} words kept, {Count(DiffOp.Deleted)} removed, {Count(DiffOp.Inserted)} added.</p>
            """);
    }

    internal static Html RenderDiff(IReadOnlyList<DiffSegment> segments)
    {
        var parts = new List<Html>();
        string? previous = null;
        foreach (var segment in segments)
        {
            var text = new StringBuilder();
            foreach (var word in segment.Words)
            {
                if (previous is not null && previous != "\n" && word != "\n")
                {
                    // The space between two segments stays outside the marks: only words are struck through or underlined.
                    if (text.Length == 0)
                        parts.Add(new Html(" "));
                    else
                        text.Append(' ');
                }
                text.Append(word);
                previous = word;
            }
            var words = text.ToString();
            parts.Add(segment.Op switch
            {
                DiffOp.Deleted => Html.Of($"""<del title="in the draft, not sent"><span class="sr-only">[removed: </span>{words}<span class="sr-only">]</span></del>"""),
                DiffOp.Inserted => Html.Of($"""<ins title="written by the agent"><span class="sr-only">[added: </span>{words}<span class="sr-only">]</span></ins>"""),
                _ => Html.Of($"{words}"),
            });
        }
        return Html.Join(parts);
    }

    private static Html VerdictForm(HttpContext http, Suggestion s, Html error)
    {
        if (!FeedbackEndpoint.TakesVerdict(s))
            return Html.Empty;
        var current = s.Verdict;
        return Html.Of($"""
            <section class="panel" aria-labelledby="verdict-heading"><h2 id="verdict-heading">Your verdict</h2>
            {error}
            <form method="post" action="/console/suggestions/{Uri.EscapeDataString(s.Id)}/verdict" id="verdict-form">{ConsoleLayout.AntiforgeryField(http)}
            <fieldset><legend>What did you do with this draft?</legend>
            {Html.Join(VerdictChoices, c => Html.Of($"""<label class="choice" for="verdict-{c.Verdict}"><input type="radio" id="verdict-{c.Verdict}" name="verdict" value="{c.Verdict}" required{Html.When(c.Verdict == current, new Html(" checked"))}> {c.Label}</label>"""))}
            </fieldset>
            <label for="verdict-reason-input">Reason (optional) <textarea id="verdict-reason-input" name="reason" maxlength="500" rows="2"></textarea></label>
            <button type="submit" id="verdict-submit">Save verdict</button>
            <p class="muted">Your verdict replaces one read from the reply, and counts in the acceptance report.</p>
            </form>
            </section>
            """);
    }

    /// <summary>
    /// The thread's summary as the note carries it (the trace keeps none): from the "Summary of the thread" line to the
    /// next blank line.
    /// </summary>
    internal static string? SummaryOf(string note)
    {
        var lines = note.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("Summary of the thread", StringComparison.Ordinal));
        if (start < 0)
            return null;
        var taken = lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0).ToList();
        return taken.Count == 0 ? null : string.Join('\n', taken);
    }

    private static Html Trace(Suggestion s)
    {
        var t = s.Trace;
        var u = t.Understanding;
        return Html.Of($"""
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
    }
}
