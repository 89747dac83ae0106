using System.Text.RegularExpressions;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Copilot.Redaction;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// A question an ops lead types to see what retrieval would return for it: the brand, intent and locale a ticket would
/// carry, and optionally a visibility that overrides the policy's. Blank fields are absent (no brand, no intent, the
/// default locale, the policy's visibility).
/// </summary>
internal sealed record TrialQuestion(string Question, string? Brand = null, string? Intent = null, string? Visibility = null, string? Locale = null)
{
    public const int MaxQuestionLength = 4000;
    public const int MaxFieldLength = 100;
}

/// <summary>What a trial ran with (the redacted question, the policy's decision, the scope) and what retrieval returned and why.</summary>
internal sealed record TrialResult(
    string RedactedQuestion, IReadOnlyDictionary<string, int> Redactions, PolicyDecision Decision, RetrievalScope Scope, bool VisibilityOverridden,
    int K, RetrievalExplanation Explanation);

/// <summary>A trial question was not understood; the message names the field.</summary>
internal sealed class TrialQuestionException(string message) : Exception(message);

/// <summary>
/// "Try a question": the pipeline's retrieval for a typed question. The question is redacted as a ticket is
/// (<see cref="PiiRedactor"/>) before anything reads it; the policy in force decides tiers and visibility from the
/// intent, brand and text as it would for a ticket; the real <see cref="KnowledgeIndex.RetrieveAsync"/> searches, and
/// <see cref="KnowledgeIndex.ExplainAsync"/> says what the filters kept out. Nothing is stored; the log holds counts only.
/// </summary>
internal sealed partial class KnowledgeTrial(KnowledgeIndex index, PolicyProvider policy, IOptions<SidecarOptions> options, ILogger<KnowledgeTrial> logger)
{
    public async Task<TrialResult> RunAsync(TrialQuestion input, CancellationToken ct)
    {
        var question = input.Question?.Trim() ?? "";
        if (question.Length == 0)
            throw new TrialQuestionException("'question' is empty: type the question a customer would ask.");
        if (question.Length > TrialQuestion.MaxQuestionLength)
            throw new TrialQuestionException($"'question' must be at most {TrialQuestion.MaxQuestionLength} characters.");
        var brand = Field(input.Brand, "brand");
        var intent = Field(input.Intent, "intent");
        var locale = Field(input.Locale, "locale");
        if (locale is not null && !LocaleTag().IsMatch(locale))
            throw new TrialQuestionException("'locale' must be a language tag such as en or de-CH.");
        KnowledgeVisibility? visibility = Field(input.Visibility, "visibility") switch
        {
            null => null,
            "public" => KnowledgeVisibility.Public,
            "agents" => KnowledgeVisibility.Agents,
            _ => throw new TrialQuestionException("'visibility' must be public, agents, or empty (as the policy decides)."),
        };

        // Redacted first, as the pipeline redacts a ticket: the policy's keywords, the index and the log see placeholders only.
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact(question, map);
        var snapshot = policy.Current;
        var decision = PolicyEngine.Decide(snapshot.Policy, snapshot.Source, new PolicyInput(intent, [], null, brand, locale, null, null, redacted));
        var scope = decision.Scope(new RetrievalScope()) with { Brand = brand };
        if (locale is not null)
            scope = scope with { Locale = locale };
        if (visibility is { } v)
            scope = scope with { Visibility = v };
        var k = options.Value.Knowledge.TopK;
        var explanation = await index.ExplainAsync(new RetrievalRequest(RedactionMap.WithoutPlaceholders(redacted), k) { Scope = scope }, ct);
        LogTried(map.Count, decision.Rule, explanation.Passages.Count, explanation.Filtered.Count);
        return new TrialResult(redacted, map.CountsByKind, decision, scope, visibility is not null, k, explanation);
    }

    private static string? Field(string? value, string name)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return null;
        if (trimmed.Length > TrialQuestion.MaxFieldLength)
            throw new TrialQuestionException($"'{name}' must be at most {TrialQuestion.MaxFieldLength} characters.");
        return trimmed;
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LocaleTag();

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrieval tried from the console: {Redactions} redactions, policy rule {Rule}, {Hits} passages, {Filtered} kept out by filters")]
    private partial void LogTried(int redactions, string rule, int hits, int filtered);
}
