using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Suggestions;

/// <summary>One suggestion for one customer message on one ticket, with everything needed to explain it.</summary>
internal sealed record Suggestion
{
    public required string Id { get; init; }
    public required string Provider { get; init; }
    public required string TicketId { get; init; }

    /// <summary>What the suggestion answers (the customer comment id): one suggestion per trigger.</summary>
    public required string TriggerKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required SuggestionKind Kind { get; init; }
    public required string Mode { get; init; }
    public string? Draft { get; init; }
    public required string Note { get; init; }
    public required SuggestionStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public DateTimeOffset? WrittenAt { get; init; }
    public int WriteAttempts { get; init; }
    public string? Verdict { get; init; }
    public double? Similarity { get; init; }

    /// <summary>Where the verdict came from (<c>reply</c>, <c>feedback</c>, <c>replay</c>) and why, when it says more than the name.</summary>
    public string? VerdictSource { get; init; }
    public string? VerdictReason { get; init; }
    public string? BrandId { get; init; }

    /// <summary>
    /// A short excerpt of the customer's question after PII redaction (placeholders such as <c>[EMAIL_1]</c>, never the
    /// values): the gap report shows it for knowledge gaps, the console beside every suggestion. Before the console
    /// showed it, only knowledge gaps kept one.
    /// </summary>
    public string? Question { get; init; }

    /// <summary>The reply the agent really sent, PII-redacted, once acceptance tracking found it; the console diffs it against the draft.</summary>
    public string? Reply { get; init; }
    public required SuggestionTrace Trace { get; init; }

    /// <summary>The line that identifies a note as this suggestion's, so a retry can find it before posting again.</summary>
    public string Marker => NoteMarker.For(Id);
}

[JsonConverter(typeof(JsonStringEnumConverter<SuggestionKind>))]
internal enum SuggestionKind
{
    Draft,
    KnowledgeGap,

    /// <summary>Policy says a human must take over: the note says why and summarises the thread; no draft.</summary>
    Escalation,

    /// <summary>A draft was made but policy or a guardrail withheld it; the note says why.</summary>
    Withheld,
}

[JsonConverter(typeof(JsonStringEnumConverter<SuggestionStatus>))]
internal enum SuggestionStatus
{
    /// <summary>Shadow mode: stored, never written to the helpdesk.</summary>
    Shadow,
    PendingWrite,
    Written,
    WriteFailed,
}

/// <summary>How the suggestion came about; stored as JSON. Holds no ticket text.</summary>
internal sealed record SuggestionTrace
{
    public IReadOnlyList<string> EventIds { get; init; } = [];
    public int QueryTermCount { get; init; }
    public IReadOnlyList<TraceSource> Sources { get; init; } = [];
    public required string Drafter { get; init; }
    public double Confidence { get; init; }

    /// <summary>What the offline drafter's confidence stands on (retrieval, coverage, agreement); absent for a model's confidence and before it existed.</summary>
    public Copilot.Drafting.DraftEvidence? Evidence { get; init; }

    public required string Reason { get; init; }
    public required TraceTimings TimingsMs { get; init; }

    /// <summary>Redactions, language, intent, tags, sentiment and urgency; absent on suggestions made before it existed.</summary>
    public Copilot.TicketUnderstanding? Understanding { get; init; }

    /// <summary>What was done with each predicted tag and intent under the tagging rules; absent before auto-tagging existed.</summary>
    public IReadOnlyList<Tagging.TagDecision> Tagging { get; init; } = [];

    /// <summary>The routes the policy's routing rules made (group, priority, fields), each suggested or automatic; absent before routing existed.</summary>
    public IReadOnlyList<Routing.RouteDecision> Routing { get; init; } = [];

    /// <summary>The policy decision and the rule that made it; absent before policy existed.</summary>
    public Copilot.Policy.PolicyDecision? Policy { get; init; }

    /// <summary>Each guardrail's pass/fail, including the prompt-injection flag on the ticket.</summary>
    public IReadOnlyList<Copilot.Guardrails.GuardrailResult> Guardrails { get; init; } = [];

    /// <summary>The language model's part, when one was asked; absent when the offline path answered without trying one.</summary>
    public ModelTrace? Model { get; init; }

    /// <summary>The question was translated for retrieval (the ticket's language is not in the knowledge base); absent otherwise.</summary>
    public Copilot.Language.QueryTranslation? Translation { get; init; }

    /// <summary>The requester's recent tickets the run used (ids, statuses, counts; never their text), or why none; absent before history existed.</summary>
    public Copilot.History.HistoryTrace? History { get; init; }
}

/// <summary>
/// One suggestion's use of a language model (stored in the trace as snake_case JSON: <c>$.model.input_tokens</c> …).
/// <see cref="Calls"/> counts every model call made for the suggestion (draft, summary, classification);
/// tokens and cost are their sums. <see cref="Fallback"/> says why the offline path answered instead, if it did.
/// </summary>
internal sealed record ModelTrace(
    string Provider,
    string Model,
    string PromptVersion,
    int Calls,
    int InputTokens,
    int OutputTokens,
    decimal CostUsd,
    double LatencyMs,
    string? Fallback);

internal sealed record TraceSource(int Number, long ArticleId, string Title, string? Url, string HeadingPath, double Score, IReadOnlyList<string> MatchedTerms);

internal sealed record TraceTimings(double LoadTicket, double Retrieve, double Draft, double Total);

internal static class NoteMarker
{
    public static string For(string suggestionId) => $"[sidecar-suggestion:{suggestionId}]";
}
