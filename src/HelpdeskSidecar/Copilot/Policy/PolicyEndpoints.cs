using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary><c>GET /api/policy</c>: the policy in force, where it came from, and why the last file was rejected.</summary>
internal sealed record PolicyView(
    string Source, DateTimeOffset LoadedAt, PolicyOutcomeView Defaults, IReadOnlyList<PolicyRuleView> Rules,
    IReadOnlyList<string> BannedPhrases, IReadOnlyList<PolicyError> LastErrors)
{
    public static PolicyView From(PolicySnapshot s) => new(
        s.Source, s.LoadedAt, PolicyOutcomeView.From(s.Policy.Defaults),
        s.Policy.Rules.Select(r => new PolicyRuleView(r.Name, PolicyOutcomeView.From(r.Outcome), r.Escalate)).ToList(),
        s.Policy.BannedPhrases, s.LastErrors);
}

internal sealed record PolicyRuleView(string Name, PolicyOutcomeView Outcome, string? Escalate);

internal sealed record PolicyOutcomeView(IReadOnlyList<string> Tiers, string Visibility, IReadOnlyList<string> Actions, string? Mode)
{
    public static PolicyOutcomeView From(PolicyOutcome o) => new(
        o.Tiers.Select(PolicyNames.Tier).ToList(), PolicyNames.Visibility(o.Visibility), o.Actions, o.Mode?.ToString().ToLowerInvariant());
}

internal static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/policy").WithTags("Policy").RequireAuthorization(Access.AccessPolicies.Oversight).MapGet("/", Get).WithName("GetPolicy");
        return app;
    }

    private static JsonHttpResult<PolicyView> Get(PolicyProvider policy) =>
        TypedResults.Json(PolicyView.From(policy.Current), PolicyJsonContext.Default.PolicyView);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PolicyView))]
[JsonSerializable(typeof(PolicyDecision))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
