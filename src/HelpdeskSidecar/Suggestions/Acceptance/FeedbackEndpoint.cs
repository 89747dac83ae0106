using FluentValidation;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Suggestions.Tagging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>The body of <c>POST /api/suggestions/{id}/feedback</c>: an agent's own verdict, which overrides one read from a reply.</summary>
internal sealed record FeedbackRequest(string? Verdict, string? Reason);

internal sealed class FeedbackRequestValidator : AbstractValidator<FeedbackRequest>
{
    public static readonly string[] Allowed = [Verdicts.SentAsIs, Verdicts.Edited, Verdicts.Rejected];

    public FeedbackRequestValidator()
    {
        RuleFor(r => r.Verdict).NotEmpty().Must(v => Allowed.Contains(v))
            .WithName("verdict").WithMessage($"'verdict' must be one of {string.Join(", ", Allowed)}.");
        RuleFor(r => r.Reason).MaximumLength(500).WithName("reason");
    }
}

internal static class FeedbackEndpoint
{
    public static RouteGroupBuilder MapFeedbackEndpoint(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/feedback", PostAsync).AddEndpointFilter<ValidationFilter<FeedbackRequest>>().WithName("PostSuggestionFeedback");
        return api;
    }

    private static async Task<Results<JsonHttpResult<SuggestionView>, ProblemHttpResult>> PostAsync(
        string id, FeedbackRequest body, IVerdictWriter verdicts, SuggestionStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } suggestion)
            return NotFound(id);
        if (!TakesVerdict(suggestion))
            return NoVerdictWithoutDraft(suggestion);
        if (!await verdicts.RecordFeedbackAsync(id, AgentVerdict(body.Verdict!, body.Reason), ct)
            || await store.GetAsync(id, ct) is not { } updated)
            return NotFound(id);
        return TypedResults.Json(SuggestionView.From(updated), SuggestionJsonContext.Default.SuggestionView);
    }

    /// <summary>
    /// An agent's own verdict as every way of giving one stores it (this API, the console's verdict form, the feedback
    /// links): source <c>feedback</c>, which overrides a verdict read from the reply, and the reason redacted.
    /// </summary>
    internal static VerdictRecord AgentVerdict(string verdict, string? reason) => new(verdict, null, Verdicts.FromFeedback, StoredReason(reason));

    /// <summary>
    /// The reason as it is stored and served: trimmed, null when empty, and redacted like every other stored text,
    /// because agents paste the customer's address or number into it ("wrong, she is ana@… not …").
    /// </summary>
    internal static string? StoredReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? null : PiiRedactor.Redact(reason.Trim(), new RedactionMap());

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"There is no suggestion '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>
    /// Only a draft can be accepted or rejected: a knowledge gap, an escalation or a withheld draft showed the agent
    /// no reply to use, and a verdict on one would count in the acceptance report as if it had.
    /// </summary>
    internal static bool TakesVerdict(Suggestion suggestion) => suggestion is { Kind: SuggestionKind.Draft, Draft: not null };

    internal static ProblemHttpResult NoVerdictWithoutDraft(Suggestion suggestion) => TypedResults.Problem(
        detail: $"This is {KindInWords(suggestion.Kind)} suggestion: it has no draft, so it takes no verdict.",
        statusCode: StatusCodes.Status409Conflict, title: "No verdict without a draft");

    private static string KindInWords(SuggestionKind kind) => kind switch
    {
        SuggestionKind.KnowledgeGap => "a knowledge-gap",
        SuggestionKind.Escalation => "an escalation",
        SuggestionKind.Withheld => "a withheld",
        _ => "a",
    };
}
