using FluentValidation;
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
        var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        if (await store.GetAsync(id, ct) is not { } suggestion)
            return NotFound(id);
        if (suggestion.Kind == SuggestionKind.KnowledgeGap)
            return NoVerdictForGaps();
        if (!await verdicts.RecordFeedbackAsync(id, new VerdictRecord(body.Verdict!, null, Verdicts.FromFeedback, reason), ct)
            || await store.GetAsync(id, ct) is not { } updated)
            return NotFound(id);
        return TypedResults.Json(SuggestionView.From(updated), SuggestionJsonContext.Default.SuggestionView);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"There is no suggestion '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A knowledge gap has no draft, so there is nothing to accept or reject (the reports count gaps apart).</summary>
    internal static ProblemHttpResult NoVerdictForGaps() => TypedResults.Problem(
        detail: "This is a knowledge-gap suggestion: it has no draft, so it takes no verdict.",
        statusCode: StatusCodes.Status409Conflict, title: "No verdict for a knowledge gap");
}
