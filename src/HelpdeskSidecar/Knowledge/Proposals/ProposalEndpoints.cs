using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions.Tagging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>The body of <c>PUT /api/knowledge/proposals/{id}</c>: the whole editable part of a proposal.</summary>
internal sealed record ProposalEdit(string? Title, string? Answer, IReadOnlyList<string>? Tags);

internal sealed class ProposalEditValidator : AbstractValidator<ProposalEdit>
{
    public ProposalEditValidator()
    {
        RuleFor(e => e.Title).NotEmpty().MaximumLength(ProposalAuthoring.MaxTitle).Must(t => t is null || t.Trim().Length > 0)
            .OverridePropertyName("title").WithMessage($"'title' must be 1 to {ProposalAuthoring.MaxTitle} characters.");
        RuleFor(e => e.Answer).NotEmpty().MaximumLength(AnswerText.MaxLength).Must(a => a is null || a.Trim().Length > 0)
            .OverridePropertyName("answer").WithMessage($"'answer' must be 1 to {AnswerText.MaxLength} characters.");
        RuleFor(e => e.Tags).Must(t => t is null || (t.Count <= ProposalAuthoring.MaxTags && t.All(IsTag)))
            .OverridePropertyName("tags").WithMessage($"'tags' must be at most {ProposalAuthoring.MaxTags} tags of 1 to 50 characters without spaces.");
    }

    public static bool IsTag(string? tag) => tag is { Length: > 0 and <= 50 } && !tag.Any(char.IsWhiteSpace);
}

internal sealed record ProposalQuestionView(string SuggestionId, string TicketId, string Question, DateTimeOffset AddedAt);

internal sealed record ProposalView(
    string Id, string Provider, string Status, string Title, string Answer, IReadOnlyList<string> Tags, IReadOnlyList<ProposalQuestionView> Questions,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? ReviewedBy, DateTimeOffset? ReviewedAt, int PublishAttempts, string? PublishError,
    string? PublishedArticleId, string? PublishedUrl, DateTimeOffset? PublishedAt, string Marker)
{
    public static ProposalView Of(ArticleProposal p) => new(p.Id, p.Provider, p.Status, p.Title, p.Answer, p.Tags,
        p.Questions.Select(q => new ProposalQuestionView(q.SuggestionId, q.TicketId, q.Question, q.AddedAt)).ToList(),
        p.CreatedAt, p.UpdatedAt, p.ReviewedBy, p.ReviewedAt, p.PublishAttempts, p.PublishError, p.PublishedArticleId, p.PublishedUrl, p.PublishedAt, p.Marker);
}

internal sealed record ProposalList(IReadOnlyList<ProposalView> Items);

/// <summary>A review's answer: the proposal as it now stands, and what publishing said (approve and publish only).</summary>
internal sealed record ProposalReviewResult(ProposalView Proposal, string? Publish, string Message);

/// <summary>
/// <c>/api/knowledge/proposals</c>: ops leads and managers read proposals (Oversight); ops leads edit, approve (which
/// publishes the draft to the helpdesk), reject, and retry a publish (Operations).
/// </summary>
internal static class ProposalEndpoints
{
    public static IEndpointRouteBuilder MapProposalEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/knowledge/proposals").WithTags("Knowledge authoring").RequireAuthorization(AccessPolicies.Oversight);
        api.MapGet("/", ListAsync).WithName("ListArticleProposals");
        api.MapGet("/{id}", GetAsync).WithName("GetArticleProposal");
        api.MapPut("/{id}", EditAsync).RequireAuthorization(AccessPolicies.Operations).AddEndpointFilter<ValidationFilter<ProposalEdit>>().WithName("EditArticleProposal");
        api.MapPost("/{id}/approve", ApproveAsync).RequireAuthorization(AccessPolicies.Operations).WithName("ApproveArticleProposal");
        api.MapPost("/{id}/reject", RejectAsync).RequireAuthorization(AccessPolicies.Operations).WithName("RejectArticleProposal");
        api.MapPost("/{id}/publish", PublishAsync).RequireAuthorization(AccessPolicies.Operations).WithName("PublishArticleProposal");
        return app;
    }

    private static async Task<Results<JsonHttpResult<ProposalList>, ProblemHttpResult>> ListAsync(ProposalStore store, string? status, int? limit, CancellationToken ct)
    {
        if (status is not null && !ProposalStatus.All.Contains(status))
            return Problem(StatusCodes.Status400BadRequest, "Invalid query", $"'status' must be one of {string.Join(", ", ProposalStatus.All)}.");
        if (limit is < 1 or > 1000)
            return Problem(StatusCodes.Status400BadRequest, "Invalid query", "'limit' must be between 1 and 1000.");
        var items = await store.ListAsync(status, limit ?? 100, ct);
        return TypedResults.Json(new ProposalList(items.Select(ProposalView.Of).ToList()), ProposalJsonContext.Default.ProposalList);
    }

    private static async Task<Results<JsonHttpResult<ProposalView>, ProblemHttpResult>> GetAsync(string id, ProposalStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } p
            ? TypedResults.Json(ProposalView.Of(p), ProposalJsonContext.Default.ProposalView)
            : NotFound(id);

    private static async Task<Results<JsonHttpResult<ProposalView>, ProblemHttpResult>> EditAsync(string id, ProposalEdit body, ProposalStore store, CancellationToken ct)
    {
        var tags = (body.Tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (await store.EditAsync(id, body.Title!.Trim(), body.Answer!.Trim(), tags, ct))
            return TypedResults.Json(ProposalView.Of((await store.GetAsync(id, ct))!), ProposalJsonContext.Default.ProposalView);
        return await store.GetAsync(id, ct) is { } p ? NotOpen(p) : NotFound(id);
    }

    private static async Task<Results<JsonHttpResult<ProposalReviewResult>, ProblemHttpResult>> ApproveAsync(
        string id, ProposalStore store, ProposalPublisher publisher, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!await store.ReviewAsync(id, ProposalStatus.Approved, user.ActorName(), ct))
            return await store.GetAsync(id, ct) is { } p ? NotOpen(p) : NotFound(id);
        return Reviewed(await publisher.PublishAsync(id, ct));
    }

    private static async Task<Results<JsonHttpResult<ProposalReviewResult>, ProblemHttpResult>> RejectAsync(
        string id, ProposalStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!await store.ReviewAsync(id, ProposalStatus.Rejected, user.ActorName(), ct))
            return await store.GetAsync(id, ct) is { } p ? NotOpen(p) : NotFound(id);
        var rejected = (await store.GetAsync(id, ct))!;
        return TypedResults.Json(new ProposalReviewResult(ProposalView.Of(rejected), null, "Rejected: nothing is published."), ProposalJsonContext.Default.ProposalReviewResult);
    }

    /// <summary>Publishes an approved proposal again after a failure; one already published answers as it is (nothing written twice).</summary>
    private static async Task<Results<JsonHttpResult<ProposalReviewResult>, ProblemHttpResult>> PublishAsync(string id, ProposalPublisher publisher, CancellationToken ct)
    {
        var outcome = await publisher.PublishAsync(id, ct);
        return outcome.Kind switch
        {
            PublishOutcomeKind.NotFound => NotFound(id),
            PublishOutcomeKind.NotApproved => Problem(StatusCodes.Status409Conflict, "Not approved", outcome.Message),
            PublishOutcomeKind.InProgress => Problem(StatusCodes.Status409Conflict, "Publishing", outcome.Message),
            _ => Reviewed(outcome),
        };
    }

    private static JsonHttpResult<ProposalReviewResult> Reviewed(PublishOutcome outcome) =>
        TypedResults.Json(new ProposalReviewResult(ProposalView.Of(outcome.Proposal!), PublishName(outcome.Kind), outcome.Message), ProposalJsonContext.Default.ProposalReviewResult);

    private static string PublishName(PublishOutcomeKind kind) => kind switch
    {
        PublishOutcomeKind.Published => "published",
        PublishOutcomeKind.AlreadyPublished => "already_published",
        PublishOutcomeKind.NotConfigured => "not_configured",
        PublishOutcomeKind.InProgress => "in_progress",
        _ => "failed",
    };

    private static ProblemHttpResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, "Unknown proposal", $"There is no article proposal '{id}'.");

    private static ProblemHttpResult NotOpen(ArticleProposal p) =>
        Problem(StatusCodes.Status409Conflict, "Already reviewed", $"The proposal is {p.Status}; only a proposed one can be edited, approved or rejected.");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail: detail, statusCode: status, title: title);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ProposalList))]
[JsonSerializable(typeof(ProposalView))]
[JsonSerializable(typeof(ProposalReviewResult))]
[JsonSerializable(typeof(ProposalEdit))]
internal sealed partial class ProposalJsonContext : JsonSerializerContext;
