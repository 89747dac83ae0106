using Dapper;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions.Acceptance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Suggestions;

/// <summary>A source as the helpdesk apps show it: its number in the draft, title and link.</summary>
internal sealed record PanelSource(int Number, string Title, string? Url);

/// <summary>
/// <c>GET /api/suggestions/latest?helpdesk=&amp;ticket=</c>: what the ticket-sidebar apps (manifests/zendesk/app,
/// manifests/freshdesk/app) show: the draft, its sources with links, the intent and tags, the confidence, and for a
/// suggestion without a draft why (withheld, escalated, knowledge gap) with the note the agent would have read.
/// </summary>
internal sealed record PanelSuggestion(
    string Id, string Helpdesk, string TicketId, DateTimeOffset CreatedAt, string Kind, string Mode, string? Draft,
    double Confidence, string? Verdict, string? VerdictReason, IReadOnlyList<PanelSource> Sources, string? Intent,
    IReadOnlyList<string> Tags, string? Why, string? Note, int Insertions)
{
    public static PanelSuggestion From(Suggestion s, int insertions) => new(
        s.Id, s.Provider, s.TicketId, s.CreatedAt, s.Kind.ToString(), s.Mode, s.Draft, s.Trace.Confidence, Verdicts.Shown(s),
        s.VerdictReason, [.. s.Trace.Sources.Select(x => new PanelSource(x.Number, x.Title, x.Url))],
        s.Trace.Understanding?.Intent?.Label,
        [.. (s.Trace.Understanding?.Tags ?? []).Select(t => t.Label)],
        WhyNoDraft(s), s.Kind == SuggestionKind.Draft ? null : s.Note, insertions)
    {
        Routes = [.. s.Trace.Routing.Select(r => new PanelRoute(r.Rule, r.Target, r.Value, r.Label, r.Action))],
    };

    /// <summary>The routes the rules made: suggested ones for the agent to apply, automatic ones applied in Live mode.</summary>
    public IReadOnlyList<PanelRoute> Routes { get; init; } = [];

    /// <summary>Why there is no draft to use, in the words the trace keeps; null for a draft.</summary>
    internal static string? WhyNoDraft(Suggestion s) => s.Kind switch
    {
        SuggestionKind.Draft => null,
        SuggestionKind.Escalation => s.Trace.Policy?.EscalationReason ?? s.Trace.Reason,
        SuggestionKind.Withheld => s.Trace.Guardrails.Where(g => !g.Passed && g.BlocksDraft).Select(g => $"{g.Name}: {g.Detail}")
            .DefaultIfEmpty(s.Trace.Reason).Aggregate((a, b) => a + "; " + b),
        _ => s.Trace.Reason,
    };
}

/// <summary>A route as the helpdesk apps show it: <c>group 360001 (rule billing)</c>, suggested or automatic.</summary>
internal sealed record PanelRoute(string Rule, string Target, string Value, string Label, string Action);

/// <summary>The body of <c>POST /api/suggestions/{id}/inserted</c>: which app inserted the draft.</summary>
internal sealed record InsertionRequest(string? App);

internal sealed record InsertionView(string SuggestionId, DateTimeOffset InsertedAt, string App, int Insertions);

/// <summary>Each time an agent put a draft into the reply box from a helpdesk app ("Insert into reply").</summary>
internal sealed class InsertionStore(Database database, TimeProvider time)
{
    public async Task<(DateTimeOffset At, int Count)> RecordAsync(string suggestionId, string app, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO suggestion_insertions (suggestion_id, inserted_at, app) VALUES (@suggestionId, @at, @app)",
            new { suggestionId, at = at.ToString("O"), app }, cancellationToken: ct));
        return (at, await CountAsync(suggestionId, ct));
    }

    public async Task<int> CountAsync(string suggestionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM suggestion_insertions WHERE suggestion_id = @suggestionId", new { suggestionId }, cancellationToken: ct));
    }
}

internal static class HelpdeskAppEndpoints
{
    public static readonly string[] Helpdesks = ["zendesk", "freshdesk"];
    public static readonly string[] Apps = ["zendesk", "freshdesk"];

    public static RouteGroupBuilder MapHelpdeskAppEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/latest", LatestAsync).WithName("GetLatestSuggestionForTicket");
        api.MapPost("/{id}/inserted", InsertedAsync).WithName("PostSuggestionInserted");
        return api;
    }

    private static async Task<Results<JsonHttpResult<PanelSuggestion>, ProblemHttpResult>> LatestAsync(
        SuggestionStore store, InsertionStore insertions, string? helpdesk, string? ticket, CancellationToken ct)
    {
        if (helpdesk is null || !Helpdesks.Contains(helpdesk))
            return BadRequest($"'helpdesk' must be one of {string.Join(", ", Helpdesks)}.");
        if (string.IsNullOrWhiteSpace(ticket) || ticket.Length > 64)
            return BadRequest("'ticket' must be a ticket id (1 to 64 characters).");
        var all = await store.ListForTicketAsync(helpdesk, ticket, ct);
        if (all.Count == 0)
            return TypedResults.Problem(detail: $"There is no suggestion for {helpdesk} ticket '{ticket}' yet.",
                statusCode: StatusCodes.Status404NotFound, title: "Not found");
        var latest = all[^1];
        return TypedResults.Json(PanelSuggestion.From(latest, await insertions.CountAsync(latest.Id, ct)), SuggestionJsonContext.Default.PanelSuggestion);
    }

    private static async Task<Results<JsonHttpResult<InsertionView>, ProblemHttpResult>> InsertedAsync(
        string id, InsertionRequest? body, SuggestionStore store, InsertionStore insertions, CancellationToken ct)
    {
        var app = body?.App;
        if (app is null || !Apps.Contains(app))
            return BadRequest($"'app' must be one of {string.Join(", ", Apps)}.");
        if (await store.GetAsync(id, ct) is not { } suggestion)
            return TypedResults.Problem(detail: $"There is no suggestion '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        if (!FeedbackEndpoint.TakesVerdict(suggestion))
            return FeedbackEndpoint.NoVerdictWithoutDraft(suggestion);
        var (at, count) = await insertions.RecordAsync(id, app, ct);
        return TypedResults.Json(new InsertionView(id, at, app, count), SuggestionJsonContext.Default.InsertionView);
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
