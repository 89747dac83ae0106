using System.Text;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Tagging;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>The notes that carry no draft because policy or a guardrail says so; each says why.</summary>
internal static class PolicyNotes
{
    /// <param name="summary">Null when the policy does not allow the <c>summary</c> action.</param>
    public static string Escalation(string suggestionId, PolicyDecision decision, ThreadSummary? summary, IReadOnlyList<TagDecision> tags) =>
        Escalation(suggestionId, $"{decision.EscalationReason} (policy rule '{decision.Rule}')", summary, tags);

    /// <param name="why">The reason and who gave it: a policy rule, or the model (its reason already through the guardrails).</param>
    public static string Escalation(string suggestionId, string why, ThreadSummary? summary, IReadOnlyList<TagDecision> tags)
    {
        var note = new StringBuilder();
        note.AppendLine("HelpdeskSidecar: a human must take over this ticket, so there is no draft.");
        note.AppendLine($"Why: {why.TrimEnd('.')}.");
        if (summary is not null)
            AppendSummary(note, summary);
        NoteFormatter.AppendTags(note, tags);
        note.AppendLine().Append(NoteMarker.For(suggestionId));
        return note.ToString();
    }

    public static string Withheld(string suggestionId, IReadOnlyList<string> reasons, IReadOnlyList<CitedSource> sources, IReadOnlyList<TagDecision> tags,
        ThreadSummary? summary = null)
    {
        var note = new StringBuilder();
        note.AppendLine("HelpdeskSidecar: the draft for this ticket was withheld, so there is no draft.");
        foreach (var reason in reasons)
            note.AppendLine($"Why: {reason}");
        if (sources.Count > 0)
        {
            note.AppendLine().AppendLine("Sources that were retrieved:");
            foreach (var s in sources)
                note.AppendLine(s.Url is null ? $"[{s.Number}] {s.Title}" : $"[{s.Number}] {s.Title} — {s.Url}");
        }
        if (summary is not null)
            AppendSummary(note, summary);
        NoteFormatter.AppendTags(note, tags);
        note.AppendLine().Append(NoteMarker.For(suggestionId));
        return note.ToString();
    }

    public static IReadOnlyList<string> FailedGuardrails(IEnumerable<GuardrailResult> results) =>
        results.Where(r => r.BlocksDraft && !r.Passed).Select(r => $"guardrail '{r.Name}' failed: {r.Detail}").ToList();

    internal static void AppendSummary(StringBuilder note, ThreadSummary summary)
    {
        note.AppendLine().AppendLine(summary.By.StartsWith("llm:", StringComparison.Ordinal)
            ? "Summary of the thread (written by the language model):" : "Summary of the thread:");
        note.AppendLine($"- Problem: {summary.Problem}");
        note.AppendLine(summary.Tried.Count == 0 ? "- Tried so far: nothing reported." : "- Tried so far:");
        foreach (var t in summary.Tried)
            note.AppendLine($"  - {t}");
        note.AppendLine($"- Next step: {summary.NextStep}");
    }
}
