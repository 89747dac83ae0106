using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>
/// <c>GET /feedback/{token}</c> shows a one-button page (link previews and mail scanners fetch links, so a GET
/// never records anything); <c>POST /feedback/{token}</c> (form field <c>reason</c>, optional) records the verdict.
/// Accept records <c>edited</c> when the reply was already judged edited, else <c>sent_as_is</c>; reject records <c>rejected</c>.
/// </summary>
internal static class FeedbackLinkEndpoints
{
    public static IEndpointRouteBuilder MapFeedbackLinkEndpoints(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/feedback").WithTags("Feedback links");
        links.MapGet("/{token}", ShowAsync).WithName("ShowFeedbackLink");
        links.MapPost("/{token}", RecordAsync).WithName("UseFeedbackLink");
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowAsync(
        string token, FeedbackLinks links, IVerdictWriter verdicts, SuggestionStore store, CancellationToken ct)
    {
        if (await CheckAsync(token, links, verdicts, ct) is { } problem)
            return problem;
        var (_, claim) = links.Verify(token);
        if (await store.GetAsync(claim!.SuggestionId, ct) is not { } suggestion)
            return NotFound(claim.SuggestionId);
        if (!FeedbackEndpoint.TakesVerdict(suggestion))
            return FeedbackEndpoint.NoVerdictWithoutDraft(suggestion);
        var label = claim.Action == FeedbackLinks.Accept ? "I used this draft" : "I did not use this draft";
        return TypedResults.Content($$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>HelpdeskSidecar feedback</title></head>
            <body><form method="post"><p>Suggestion {{WebUtility.HtmlEncode(claim.SuggestionId)}}</p>
            <label>Reason (optional) <input name="reason" maxlength="500"></label>
            <button type="submit">{{label}}</button></form></body></html>
            """, "text/html; charset=utf-8");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> RecordAsync(
        string token, HttpRequest request, FeedbackLinks links, IVerdictWriter verdicts, SuggestionStore store, CancellationToken ct)
    {
        if (await CheckAsync(token, links, verdicts, ct) is { } problem)
            return problem;
        var (_, claim) = links.Verify(token);
        string? reason = null;
        if (request.HasFormContentType)
            reason = (await request.ReadFormAsync(ct))["reason"].ToString().Trim();
        if (reason is { Length: > 500 })
            return TypedResults.Problem(detail: "'reason' must be 500 characters or fewer.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid form");
        if (await store.GetAsync(claim!.SuggestionId, ct) is not { } suggestion)
            return NotFound(claim.SuggestionId);
        if (!FeedbackEndpoint.TakesVerdict(suggestion))
            return FeedbackEndpoint.NoVerdictWithoutDraft(suggestion);
        var verdict = claim.Action == FeedbackLinks.Reject ? Verdicts.Rejected
            : suggestion.Verdict == Verdicts.Edited ? Verdicts.Edited
            : Verdicts.SentAsIs;
        if (!await verdicts.RecordFromLinkAsync(claim.Signature, claim.SuggestionId, new VerdictRecord(verdict, null, Verdicts.FromFeedback, FeedbackEndpoint.StoredReason(reason)), ct))
            return Used();
        return TypedResults.Content(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Thanks</title></head><body><p>Recorded: {verdict}. You can close this page.</p></body></html>",
            "text/html; charset=utf-8");
    }

    /// <returns>Why the link cannot be used, or null when it can.</returns>
    private static async Task<ProblemHttpResult?> CheckAsync(string token, FeedbackLinks links, IVerdictWriter verdicts, CancellationToken ct)
    {
        var (check, claim) = links.Verify(token);
        return check switch
        {
            FeedbackLinkCheck.Malformed => TypedResults.Problem(detail: "This is not a feedback link.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid link"),
            FeedbackLinkCheck.BadSignature => TypedResults.Problem(detail: "The link's signature does not match.", statusCode: StatusCodes.Status403Forbidden, title: "Invalid link"),
            FeedbackLinkCheck.Expired => TypedResults.Problem(detail: "The link has expired.", statusCode: StatusCodes.Status410Gone, title: "Expired link"),
            _ when await verdicts.IsLinkUsedAsync(claim!.Signature, ct) => Used(),
            _ => null,
        };
    }

    private static ProblemHttpResult Used() =>
        TypedResults.Problem(detail: "The link has already been used.", statusCode: StatusCodes.Status409Conflict, title: "Used link");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"There is no suggestion '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
