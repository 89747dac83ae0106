using System.Text;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Drafting;

namespace HelpdeskSidecar.Suggestions;

/// <summary>The internal note an agent reads: the draft, its numbered sources by title, and the marker.</summary>
internal static class NoteFormatter
{
    /// <summary>The first line of every note on a ticket flagged for prompt injection, whatever its kind.</summary>
    public static string InjectionWarning(IReadOnlyList<string> flags) =>
        $"⚠ Caution: this ticket contains text that tries to instruct the assistant (prompt injection: {string.Join(", ", flags)}). "
        + "It was treated as data and changed no policy decision, but review the ticket and everything below carefully before you act on it.";

    /// <summary>The note with <see cref="InjectionWarning"/> above everything else, when the ticket was flagged.</summary>
    public static string WithInjectionWarning(string note, IReadOnlyList<string> flags) =>
        flags.Count == 0 ? note : $"{InjectionWarning(flags)}{Environment.NewLine}{Environment.NewLine}{note}";

    /// <summary>The note with the routing lines (suggested and automatic routes) just above its marker; unchanged without routes.</summary>
    public static string WithRoutes(string note, string suggestionId, IReadOnlyList<Routing.RouteDecision> routes)
    {
        var marker = NoteMarker.For(suggestionId);
        var at = note.LastIndexOf(marker, StringComparison.Ordinal);
        if (routes.Count == 0 || at < 0)
            return note;
        var section = new StringBuilder();
        Routing.RouteNote.Append(section, routes);
        return $"{note[..at].TrimEnd()}{Environment.NewLine}{section}{Environment.NewLine}{note[at..]}";
    }

    /// <param name="notice">A first line, e.g. that the offline drafter answered because the model did not.</param>
    /// <param name="header">Replaces the offline drafter's description of the draft (a model draft says so).</param>
    /// <param name="summary">The thread's summary, for long threads.</param>
    public static string Format(string suggestionId, Draft draft, IReadOnlyList<Tagging.TagDecision>? tags = null,
        IReadOnlyList<(string Action, string Url)>? feedbackLinks = null, string? notice = null, string? header = null,
        Copilot.Policy.ThreadSummary? summary = null)
    {
        var note = new StringBuilder();
        if (notice is not null)
            note.AppendLine(notice);
        if (draft.IsGap)
        {
            note.AppendLine("HelpdeskSidecar: no confident answer was found in the knowledge base for this ticket, so there is no draft.");
            note.AppendLine("It is counted as a knowledge gap.");
            if (draft.Evidence is { } gapEvidence)
                note.AppendLine($"Evidence: {OfflineDrafter.Describe(gapEvidence)}.");
            if (draft.Sources.Count > 0)
            {
                note.AppendLine().AppendLine("Closest sources:");
                AppendSources(note, draft.Sources);
            }
        }
        else
        {
            if (header is not null)
                note.AppendLine(header);
            else
            {
                note.AppendLine(notice is null
                    ? "HelpdeskSidecar suggested reply. This is an extractive draft: no language model is configured, so it quotes"
                    : "HelpdeskSidecar suggested reply. This is an extractive draft: it quotes");
                note.AppendLine("the knowledge base verbatim with numbered citations. Review it before you send it.");
            }
            note.AppendLine().AppendLine("--- Draft ---").AppendLine(draft.Reply).AppendLine("--- End of draft ---");
            note.AppendLine().AppendLine("Sources:");
            AppendSources(note, draft.Sources);
            if (draft.Evidence is { } evidence)
                note.AppendLine().AppendLine($"Evidence: {OfflineDrafter.Describe(evidence)}.");
        }
        if (summary is not null)
            Copilot.Policy.PolicyNotes.AppendSummary(note, summary);
        AppendTags(note, tags ?? []);
        if (!draft.IsGap && feedbackLinks is { Count: > 0 })
        {
            note.AppendLine().AppendLine("Did you use this draft? (each link works once)");
            foreach (var (action, url) in feedbackLinks)
                note.AppendLine($"{(action == Acceptance.FeedbackLinks.Accept ? "Yes, I used it" : "No, I did not")}: {url}");
        }
        note.AppendLine().Append(NoteMarker.For(suggestionId));
        return note.ToString();
    }

    internal static void AppendTags(StringBuilder note, IReadOnlyList<Tagging.TagDecision> tags)
    {
        var suggested = tags.Where(t => t.Action == Tagging.TagDecision.SuggestOnly).Select(t => t.Tag).Distinct().ToList();
        var applied = tags.Where(t => t.Action == Tagging.TagDecision.Apply).Select(t => t.Tag).Distinct().ToList();
        if (suggested.Count > 0)
            note.AppendLine().AppendLine($"Suggested tags: {string.Join(", ", suggested)}");
        if (applied.Count > 0)
            note.AppendLine().AppendLine($"Auto-tags (applied in Live mode): {string.Join(", ", applied)}");
    }

    private static void AppendSources(StringBuilder note, IReadOnlyList<CitedSource> sources)
    {
        foreach (var s in sources)
            note.AppendLine(s.Url is null ? $"[{s.Number}] {s.Title}" : $"[{s.Number}] {s.Title} — {s.Url}");
    }
}
