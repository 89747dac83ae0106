using System.Globalization;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Guardrails;

/// <summary>
/// Checks a draft before anyone sees it: citations point to retrieved sources, URLs come from sources, no PII
/// (placeholder or raw, the company's own addresses quoted from a cited source excepted) and no banned phrase. Any failure withholds the draft; the note says which check failed.
/// </summary>
internal static partial class DraftGuardrails
{
    /// <param name="declaredCitations">
    /// The source numbers a model said it used (its JSON <c>citations</c>); null for the offline drafter. With them, each
    /// declared number must be a retrieved source too, and a draft that cites nothing at all fails: a model draft must stand on sources.
    /// </param>
    /// <param name="pastTicketArticles">
    /// Articles of the <c>past_ticket</c> tier among <paramref name="hits"/>: a past ticket may quote a customer's
    /// address, so only the company's own articles vouch for one (see <see cref="Pii"/>).
    /// </param>
    public static IReadOnlyList<GuardrailResult> Check(Draft draft, IReadOnlyList<KnowledgeHit> hits, IReadOnlyList<string> bannedPhrases,
        IReadOnlyList<int>? declaredCitations = null, IReadOnlySet<long>? pastTicketArticles = null)
    {
        var reply = draft.Reply ?? "";
        var cited = draft.Sources.Select(s => s.ArticleId).Where(id => pastTicketArticles?.Contains(id) != true).ToHashSet();
        var citedTexts = hits.Where(h => cited.Contains(h.ArticleId)).Select(h => h.Text).ToList();
        return [Citations(reply, draft, hits, declaredCitations), Urls(reply, draft, hits), Pii(reply, citedTexts), Banned(reply, bannedPhrases)];
    }

    public static GuardrailResult Citations(string reply, Draft draft, IReadOnlyList<KnowledgeHit> hits, IReadOnlyList<int>? declaredCitations = null)
    {
        var retrieved = hits.Select(h => h.ArticleId).ToHashSet();
        var inline = Citation().Matches(reply).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var bad = inline.Concat(declaredCitations ?? [])
            .Where(n => draft.Sources.FirstOrDefault(s => s.Number == n) is not { } source || !retrieved.Contains(source.ArticleId))
            .Distinct().Order().ToList();
        if (bad.Count > 0)
            return new GuardrailResult(GuardrailNames.Citations, false, $"Citation {string.Join(", ", bad.Select(n => $"[{n}]"))} points to no retrieved source.");
        return declaredCitations is not null && inline.Count == 0
            ? new GuardrailResult(GuardrailNames.Citations, false, "The model's draft cites no source in its text.")
            : new GuardrailResult(GuardrailNames.Citations, true, "Every citation points to a retrieved source.");
    }

    public static GuardrailResult Urls(string reply, Draft draft, IReadOnlyList<KnowledgeHit> hits)
    {
        var known = draft.Sources.Select(s => s.Url).Concat(hits.Select(h => h.Url)).OfType<string>().Select(Normal).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var texts = hits.Select(h => h.Text).ToList();
        var unknown = Url().Matches(reply).Select(m => m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']'))
            .Where(u => !known.Contains(Normal(u)) && !texts.Any(t => t.Contains(u, StringComparison.OrdinalIgnoreCase)))
            .Distinct().ToList();
        // The URLs themselves are not recorded: an invented one may carry anything.
        return unknown.Count == 0
            ? new GuardrailResult(GuardrailNames.Urls, true, "Every URL comes from a source.")
            : new GuardrailResult(GuardrailNames.Urls, false, $"{unknown.Count} URL(s) in the draft come from no source.");
    }

    /// <param name="sourceTexts">
    /// The passages of the sources the draft cites. An address or number found there verbatim is the company's own
    /// (a help centre's no-reply sender, its support line), not the customer's, so quoting it is no leak. The
    /// customer's values never reach the knowledge base, and the ticket the drafter sees is redacted, so a raw value
    /// that is in no cited passage is treated as the customer's.
    /// </param>
    public static GuardrailResult Pii(string reply, IReadOnlyList<string>? sourceTexts = null)
    {
        if (RedactionMap.PlaceholderPattern().IsMatch(reply))
            return new GuardrailResult(GuardrailNames.Pii, false, "The draft contains a PII placeholder.");
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact(reply, map);
        var texts = sourceTexts ?? [];
        var quoted = RedactionMap.PlaceholderPattern().Matches(redacted).Select(m => m.Value).Distinct()
            .ToLookup(p => texts.Any(t => t.Contains(map.Restore(p), StringComparison.OrdinalIgnoreCase)));
        var fromSources = quoted[true].Count();
        var kinds = quoted[false].Select(KindOf).Distinct().Order(StringComparer.Ordinal).ToList();
        if (kinds.Count > 0)
            return new GuardrailResult(GuardrailNames.Pii, false, $"The draft contains PII ({string.Join(", ", kinds)}).");
        return fromSources == 0
            ? new GuardrailResult(GuardrailNames.Pii, true, "No PII found in the draft.")
            : new GuardrailResult(GuardrailNames.Pii, true, $"No PII found in the draft ({fromSources} address(es) or number(s) quoted from its sources).");
    }

    /// <summary>"[EMAIL_2]" → "email", the names the trace counts use.</summary>
    private static string KindOf(string placeholder) => placeholder[1..placeholder.LastIndexOf('_')].ToLowerInvariant();

    public static GuardrailResult Banned(string reply, IReadOnlyList<string> bannedPhrases)
    {
        var found = bannedPhrases.Where(p => p.Length > 0 && reply.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList();
        // Banned phrases come from the policy file, so naming them is safe and tells the ops lead which one fired.
        return found.Count == 0
            ? new GuardrailResult(GuardrailNames.BannedPhrases, true, $"None of {bannedPhrases.Count} banned phrases found.")
            : new GuardrailResult(GuardrailNames.BannedPhrases, false, $"The draft contains banned phrase(s): {string.Join(", ", found.Select(p => $"\"{p}\""))}.");
    }

    public static GuardrailResult Injection(IReadOnlyList<string> flags) => flags.Count == 0
        ? new GuardrailResult(GuardrailNames.PromptInjection, true, "No prompt-injection pattern in the ticket.", BlocksDraft: false)
        : new GuardrailResult(GuardrailNames.PromptInjection, false,
            $"Prompt-injection pattern(s) in the ticket: {string.Join(", ", flags)}. Treated as data; policy unchanged; no auto-tags.", BlocksDraft: false);

    private static string Normal(string url) => url.TrimEnd('/');

    [GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial Regex Citation();

    [GeneratedRegex(@"https?://[^\s<>""'\]\)]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
