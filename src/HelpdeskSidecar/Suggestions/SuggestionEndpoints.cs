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

internal sealed record SuggestionList(IReadOnlyList<SuggestionView> Items);

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

    private static async Task<Results<JsonHttpResult<SuggestionList>, ProblemHttpResult>> ListAsync(
        SuggestionStore store, string? ticket, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(detail: "'limit' must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        var items = await store.ListAsync(ticket, limit ?? 100, ct);
        return TypedResults.Json(new SuggestionList(items.Select(SuggestionView.From).ToList()), SuggestionJsonContext.Default.SuggestionList);
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
