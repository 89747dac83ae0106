using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Language;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot;

/// <summary>
/// A ticket in a language the knowledge base does not hold. The knowledge base's languages are the locales its articles
/// already carry (front matter or <c>kb import --locale</c>, see <see cref="KnowledgeIndex.LanguagesAsync"/>), so there is
/// no second setting to keep in step with the content. With a model, the redacted question is translated into the knowledge
/// base's language and retrieval searches with the translation; without one (or if the model fails), retrieval searches
/// with the original, and a knowledge-gap note names the customer's language.
/// </summary>
internal sealed partial class CopilotPipeline
{
    /// <summary>Below this detector confidence the ticket's language is not trusted enough to translate for, or to name.</summary>
    internal const double TrustedLanguage = 0.8;

    /// <summary>What retrieval searches with, and what the note and the trace say about the language.</summary>
    private sealed record SearchQuery(string Text, IReadOnlyList<string> Terms, string? Locale, string? SourcesLanguage = null,
        QueryTranslation? Translation = null, string? LanguageNotice = null);

    private async Task<SearchQuery> SearchQueryAsync(Run run, string defaultLocale, CancellationToken ct)
    {
        var language = run.Understanding.Language is { Length: > 0 } code && code != "und" ? code : null;
        var plain = new SearchQuery(run.QueryText, run.Terms, language);
        if (language is null || run.Understanding.LanguageConfidence < TrustedLanguage)
            return plain;
        var customer = language.Split('-', 2)[0].ToLowerInvariant();
        var held = await knowledge.LanguagesAsync(ct);
        if (held.Count == 0 || held.Contains(customer, StringComparer.Ordinal))
            return plain;

        // The default locale is the one every query falls back to; otherwise the language most of the knowledge base is in.
        var fallback = defaultLocale.Split('-', 2)[0].ToLowerInvariant();
        var target = held.Contains(fallback, StringComparer.Ordinal) ? fallback : held[0];
        var gap = $"The customer wrote in {NameOf(customer)}; the knowledge base has {Names(held)} articles only.";
        if (!translator.Available)
            return plain with { LanguageNotice = gap };
        var answer = await translator.TranslateAsync(run.QueryText, customer, target, run.Ledger, ct);
        if (answer.Value is not { } translated)
            return plain with
            {
                Translation = new QueryTranslation(customer, target, LlmQueryTranslator.PromptVersion, Used: false,
                    $"retrieved with the original: the translation failed ({answer.Failure})"),
                LanguageNotice = $"{gap} The question could not be translated for the search ({answer.Failure}).",
            };
        return new SearchQuery(translated, QueryText.Terms(translated), target, target,
            new QueryTranslation(customer, target, LlmQueryTranslator.PromptVersion, Used: true, null),
            $"{gap} The question was translated into {NameOf(target)} for the search.");
    }

    private static string NameOf(string code) => LanguageNames.For(code) ?? $"'{code}'";

    private static string Names(IReadOnlyList<string> codes)
    {
        var names = codes.Select(NameOf).ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1];
    }
}
