using System.Security.Claims;
using System.Text.Json.Serialization;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>The body of <c>PUT /api/routing/rules/{rule}</c>.</summary>
internal sealed record RoutingModeRequest(string? Mode);

internal sealed record RoutingRuleView(string Name, string Mode, string FileMode, string ModeSetBy, IReadOnlyList<RouteTarget> Targets, IReadOnlyList<string> Brands);

internal sealed record RoutingView(string PolicySource, IReadOnlyList<RoutingRuleView> Rules);

internal sealed record RoutingAuditList(IReadOnlyList<RoutingAuditEntry> Items);

/// <summary>
/// <c>/api/routing</c>: the policy file's routing rules with the mode in force, and ops leads' mode changes (audited).
/// The rules themselves (what matches, where it routes) live in the policy file; only the mode is switched here.
/// </summary>
internal static class RoutingEndpoints
{
    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/routing").WithTags("Routing").RequireAuthorization(AccessPolicies.Oversight);
        api.MapGet("/", GetAsync).WithName("GetRoutingRules");
        api.MapPut("/rules/{rule}", SetAsync).RequireAuthorization(AccessPolicies.Operations).WithName("SetRoutingRuleMode");
        api.MapGet("/audit", AuditAsync).WithName("GetRoutingAudit");
        return app;
    }

    /// <summary>Every rule of the policy in force, with the mode that applies and where it comes from.</summary>
    public static async Task<RoutingView> ViewAsync(PolicyProvider policy, RoutingStore store, CancellationToken ct)
    {
        var snapshot = policy.Current;
        var overrides = (await store.ListAsync(ct)).ToDictionary(o => o.Rule, StringComparer.Ordinal);
        return new RoutingView(snapshot.Source, snapshot.Policy.Routing.Select(r => overrides.TryGetValue(r.Name, out var o)
            ? new RoutingRuleView(r.Name, o.Mode, r.Mode, RoutingPolicy.FromOverride, r.Targets, r.Match.Brand ?? [])
            : new RoutingRuleView(r.Name, r.Mode, r.Mode, RoutingPolicy.FromPolicy, r.Targets, r.Match.Brand ?? [])).ToList());
    }

    private static async Task<JsonHttpResult<RoutingView>> GetAsync(PolicyProvider policy, RoutingStore store, CancellationToken ct) =>
        TypedResults.Json(await ViewAsync(policy, store, ct), RoutingJsonContext.Default.RoutingView);

    /// <summary>Sets a rule's mode; the answer is the audit entry of the change (or of the change that made it so).</summary>
    public static async Task<Results<JsonHttpResult<RoutingAuditEntry>, ProblemHttpResult>> SetAsync(
        string rule, RoutingModeRequest? body, PolicyProvider policy, RoutingStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        var mode = body?.Mode?.Trim().ToLowerInvariant();
        if (!RouteNames.IsMode(mode))
            return TypedResults.Problem(detail: "'mode' must be one of off, suggest, auto.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid body");
        if (policy.Current.Policy.Routing.FirstOrDefault(r => r.Name == rule) is not { } found)
            return TypedResults.Problem(detail: $"The policy in force has no routing rule '{rule}'; rules are added in the policy file.",
                statusCode: StatusCodes.Status404NotFound, title: "Not found");
        var entry = await store.SetAsync(found.Name, mode!, found.Mode, user.ActorName(), ct) ?? await store.LastChangeAsync(found.Name, ct);
        // Never changed and already so: answer with the state as an entry without id.
        return TypedResults.Json(entry ?? new RoutingAuditEntry(0, DateTimeOffset.MinValue, "", found.Name, null, mode!), RoutingJsonContext.Default.RoutingAuditEntry);
    }

    private static async Task<Results<JsonHttpResult<RoutingAuditList>, ProblemHttpResult>> AuditAsync(RoutingStore store, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(detail: "'limit' must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        return TypedResults.Json(new RoutingAuditList(await store.AuditAsync(limit ?? 100, ct)), RoutingJsonContext.Default.RoutingAuditList);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RoutingView))]
[JsonSerializable(typeof(RoutingAuditEntry))]
[JsonSerializable(typeof(RoutingAuditList))]
[JsonSerializable(typeof(RoutingModeRequest))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;
