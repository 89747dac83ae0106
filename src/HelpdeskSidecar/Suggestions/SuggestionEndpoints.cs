using HelpdeskSidecar.Suggestions.Acceptance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Suggestions;

/// <summary>An item of <c>GET /api/suggestions</c>.</summary>
internal sealed record SuggestionView(
    string Id, string Provider, string TicketId, DateTimeOffset CreatedAt, string Kind, string Mode, string Status,
    string? Draft, string? Verdict, double? Similarity, string? VerdictSource, string? VerdictReason, IReadOnlyList<TraceSource> Sources)
{
    public static SuggestionView From(Suggestion s) => new(
        s.Id, s.Provider, s.TicketId, s.CreatedAt, s.Kind.ToString(), s.Mode, s.Status.ToString(),
        s.Draft, Verdicts.Shown(s), s.Similarity, s.VerdictSource, s.VerdictReason, s.Trace.Sources);
}

/// <summary>A page of <c>GET /api/suggestions</c>: pass <c>next_cursor</c> (or <c>previous_cursor</c>) back as <c>cursor</c>; null at the end.</summary>
internal sealed record SuggestionList(IReadOnlyList<SuggestionView> Items, string? NextCursor, string? PreviousCursor);

/// <summary><c>GET /api/suggestions/{id}</c>: the note as sent and the whole trace.</summary>
internal sealed record SuggestionDetail(
    string Id, string Provider, string TicketId, string TriggerKey, DateTimeOffset CreatedAt, string Kind, string Mode, string Status,
    string? StatusReason, DateTimeOffset? WrittenAt, int WriteAttempts, string? Draft, string Note, string? Verdict, double? Similarity,
    SuggestionTrace Trace);

internal static class SuggestionEndpoints
{
    public static IEndpointRouteBuilder MapSuggestionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/suggestions").WithTags("Suggestions").RequireAuthorization(Access.AccessPolicies.SignedIn);
        api.MapGet("/", ListAsync).WithName("ListSuggestions");
        api.MapHelpdeskAppEndpoints();
        api.MapGet("/{id}", GetAsync).WithName("GetSuggestion");
        api.MapFeedbackEndpoint();
        return app;
    }

    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// Newest first (one ticket's oldest first), filtered by ticket, kind, verdict, intent, brand, mode and a window of
    /// UTC days; <c>cursor</c> continues from a page's <c>next_cursor</c> or <c>previous_cursor</c>.
    /// </summary>
    private static async Task<Results<JsonHttpResult<SuggestionList>, ProblemHttpResult>> ListAsync(
        SuggestionStore store, string? ticket, int? limit, string? cursor, string? kind, string? verdict, string? intent,
        string? brand, string? mode, string? from, string? to, CancellationToken ct)
    {
        var (filter, errors) = SuggestionFilter.Parse(ticket, kind, verdict, intent, brand, mode, from, to);
        var errorList = errors.ToList();
        if (limit is < 1 or > MaxLimit)
            errorList.Insert(0, $"'limit' must be between 1 and {MaxLimit}.");
        if (!SuggestionCursor.TryDecode(cursor, out var position))
            errorList.Add("'cursor' is not a cursor this list gave out: pass next_cursor or previous_cursor back unchanged.");
        if (errorList.Count > 0)
            return TypedResults.Problem(detail: string.Join(" ", errorList), statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        var page = await store.PageAsync(filter, position, limit ?? DefaultLimit, ct);
        return TypedResults.Json(new SuggestionList(page.Items.Select(SuggestionView.From).ToList(), page.NextCursor, page.PreviousCursor),
            SuggestionJsonContext.Default.SuggestionList);
    }

    private static async Task<Results<JsonHttpResult<SuggestionDetail>, ProblemHttpResult>> GetAsync(
        SuggestionStore store, string id, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } s)
            return TypedResults.Problem(detail: $"There is no suggestion '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        return TypedResults.Json(new SuggestionDetail(
            s.Id, s.Provider, s.TicketId, s.TriggerKey, s.CreatedAt, s.Kind.ToString(), s.Mode, s.Status.ToString(), s.StatusReason,
            s.WrittenAt, s.WriteAttempts, s.Draft, s.Note, Verdicts.Shown(s), s.Similarity, s.Trace), SuggestionJsonContext.Default.SuggestionDetail);
    }
}
