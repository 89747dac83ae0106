using System.Globalization;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Helpdesks.Http;
using HelpdeskSidecar.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Hosting.OpsHealth;

/// <summary>
/// <c>GET /api/health/ops</c> (Oversight): the ops health report as JSON, the console's <c>/console/health</c> in
/// data; <c>POST /api/health/ops/write-backs/{id}/retry</c> (Operations, a token): the page's Retry button.
/// </summary>
internal static class OpsHealthEndpoints
{
    public static IHostApplicationBuilder AddOpsHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<RateLimitWaits>();
        builder.Services.TryAddSingleton<OpsHealthQuery>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOpsHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/health/ops").WithTags("Health");
        api.MapGet("/", GetAsync).WithName("GetOpsHealth").RequireAuthorization(AccessPolicies.Oversight);
        api.MapPost("/write-backs/{id}/retry", RetryAsync).WithName("RetryWriteBack").RequireAuthorization(AccessPolicies.Operations);
        return app;
    }

    /// <summary>A list size from the query (<c>limit</c>, 1–200), or the reason it is not one.</summary>
    public static (int Limit, string? Error) ParseLimit(string? limit)
    {
        if (string.IsNullOrEmpty(limit))
            return (OpsHealthQuery.DefaultLimit, null);
        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= OpsHealthQuery.MaxLimit
            ? (n, null)
            : (0, $"'limit' must be a whole number from 1 to {OpsHealthQuery.MaxLimit}; got '{Excerpt.Of(limit, 20)}'.");
    }

    private static async Task<Results<JsonHttpResult<OpsHealthReport>, ProblemHttpResult>> GetAsync(
        HttpContext http, OpsHealthQuery query, string? limit, CancellationToken ct)
    {
        var (n, error) = ParseLimit(limit);
        if (error is not null)
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(await query.GetAsync(n, ct), OpsHealthJsonContext.Default.OpsHealthReport);
    }

    private static async Task<Results<JsonHttpResult<WriteBackRetryAnswer>, ProblemHttpResult>> RetryAsync(
        HttpContext http, WriteBackRetry retry, string id, CancellationToken ct)
    {
        return await retry.RetryAsync(id, http.User.ActorName(), ct) switch
        {
            WriteBackRetryOutcome.Queued => TypedResults.Json(new WriteBackRetryAnswer(id, "queued"), OpsHealthJsonContext.Default.WriteBackRetryAnswer, statusCode: StatusCodes.Status202Accepted),
            WriteBackRetryOutcome.NotGivenUp => TypedResults.Problem(
                detail: "This write-back is not given up: it is already queued again, or its note is written. Nothing was done.",
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to retry"),
            _ => TypedResults.Problem(detail: "No suggestion has this id.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        };
    }
}
