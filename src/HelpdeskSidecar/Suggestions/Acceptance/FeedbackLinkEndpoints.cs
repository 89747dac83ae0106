using HelpdeskSidecar.WebConsole;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>
/// <c>GET /feedback/{token}</c> shows the draft and a one-button form (link previews and mail scanners fetch links, so
/// a GET never records anything); <c>POST /feedback/{token}</c> (form field <c>reason</c>, optional) records the verdict.
/// Accept records <c>edited</c> when the reply was already judged edited, else <c>sent_as_is</c>; reject records <c>rejected</c>.
/// Every answer is a page in the console's style that says in plain words what happened, with the status code that
/// says it to a machine (400 not a link, 403 forged, 404 gone, 409 used or no draft, 410 expired).
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

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, string token, FeedbackLinks links, IVerdictWriter verdicts, SuggestionStore store, CancellationToken ct)
    {
        if (await CheckAsync(http, token, links, verdicts, ct) is { } refused)
            return refused;
        var (_, claim) = links.Verify(token);
        if (await store.GetAsync(claim!.SuggestionId, ct) is not { } suggestion)
            return NotFound(http);
        if (!FeedbackEndpoint.TakesVerdict(suggestion))
            return NoDraft(http);
        var accept = claim.Action == FeedbackLinks.Accept;
        var body = Html.Of($"""
            <div class="feedback">
            <p id="feedback-question">{(accept ? "You are telling us that you used this draft (as is or edited) on" : "You are telling us that you did not use this draft on")} {suggestion.Provider} ticket #{suggestion.TicketId}.</p>
            <section class="panel" aria-labelledby="draft-heading"><h2 id="draft-heading">The draft</h2><pre id="draft">{suggestion.Draft}</pre></section>
            <form method="post" id="feedback-form" class="panel feedback-actions">
            <label for="feedback-reason">Reason (optional) <textarea id="feedback-reason" name="reason" maxlength="500" rows="2"></textarea></label>
            <button type="submit" id="feedback-submit">{(accept ? "Yes, I used this draft" : "No, I did not use this draft")}</button>
            <p class="muted">This link works once. Nothing is recorded until you press the button.</p>
            </form>
            </div>
            """);
        return Page(http, "Did you use this draft?", body, StatusCodes.Status200OK);
    }

    private static async Task<ContentHttpResult> RecordAsync(
        HttpContext http, string token, FeedbackLinks links, IVerdictWriter verdicts, SuggestionStore store, CancellationToken ct)
    {
        if (await CheckAsync(http, token, links, verdicts, ct) is { } refused)
            return refused;
        var (_, claim) = links.Verify(token);
        string? reason = null;
        if (http.Request.HasFormContentType)
            reason = (await http.Request.ReadFormAsync(ct))["reason"].ToString().Trim();
        if (reason is { Length: > 500 })
            return Outcome(http, StatusCodes.Status400BadRequest, "Reason too long", "The reason must be 500 characters or fewer. Go back, shorten it and send it again.");
        if (await store.GetAsync(claim!.SuggestionId, ct) is not { } suggestion)
            return NotFound(http);
        if (!FeedbackEndpoint.TakesVerdict(suggestion))
            return NoDraft(http);
        var verdict = claim.Action == FeedbackLinks.Reject ? Verdicts.Rejected
            : suggestion.Verdict == Verdicts.Edited ? Verdicts.Edited
            : Verdicts.SentAsIs;
        if (!await verdicts.RecordFromLinkAsync(claim.Signature, claim.SuggestionId, FeedbackEndpoint.AgentVerdict(verdict, reason), ct))
            return Used(http);
        var recorded = verdict switch
        {
            Verdicts.SentAsIs => "Thanks — recorded that you used this draft as is.",
            Verdicts.Edited => "Thanks — recorded that you used this draft with edits.",
            _ => "Thanks — recorded that you did not use this draft.",
        };
        var body = Html.Of($"""<p class="message" id="feedback-outcome" role="status" data-verdict="{verdict}">{recorded}</p><p>You can close this page.</p>""");
        return Page(http, "Feedback recorded", body, StatusCodes.Status200OK);
    }

    /// <returns>The page saying why the link cannot be used, or null when it can.</returns>
    private static async Task<ContentHttpResult?> CheckAsync(HttpContext http, string token, FeedbackLinks links, IVerdictWriter verdicts, CancellationToken ct)
    {
        var (check, claim) = links.Verify(token);
        return check switch
        {
            FeedbackLinkCheck.Malformed => Outcome(http, StatusCodes.Status400BadRequest, "Not a feedback link",
                "This is not a feedback link. Copy the whole link from the note and try again."),
            FeedbackLinkCheck.BadSignature => Outcome(http, StatusCodes.Status403Forbidden, "Link not valid",
                "This link is not valid: it was changed after it was made. Use the link exactly as the note shows it."),
            FeedbackLinkCheck.Expired => Outcome(http, StatusCodes.Status410Gone, "Link expired",
                "This link has expired. You can still give your verdict on the suggestion's page in the console."),
            _ when await verdicts.IsLinkUsedAsync(claim!.Signature, ct) => Used(http),
            _ => null,
        };
    }

    private static ContentHttpResult Used(HttpContext http) => Outcome(http, StatusCodes.Status409Conflict, "Link already used",
        "This link was already used: your answer was recorded the first time. To change it, use the suggestion's page in the console.");

    private static ContentHttpResult NotFound(HttpContext http) => Outcome(http, StatusCodes.Status404NotFound, "Suggestion not found",
        "The suggestion this link is about no longer exists.");

    private static ContentHttpResult NoDraft(HttpContext http) => Outcome(http, StatusCodes.Status409Conflict, "Nothing to judge",
        "This suggestion has no draft (it was a knowledge gap, an escalation or a withheld draft), so it takes no verdict.");

    private static ContentHttpResult Outcome(HttpContext http, int status, string title, string text) =>
        Page(http, title, Html.Of($"""<p class="message{(status >= 400 ? " error" : "")}" id="feedback-outcome" role="{(status >= 400 ? "alert" : "status")}">{text}</p>"""), status);

    /// <summary>The console's page without its navigation: the link works without a sign-in.</summary>
    private static ContentHttpResult Page(HttpContext http, string title, Html body, int status) =>
        ConsoleLayout.Document(http, title, Html.Of($"""<header class="top"><span class="brand">HelpdeskSidecar</span></header>"""), body, status);
}
