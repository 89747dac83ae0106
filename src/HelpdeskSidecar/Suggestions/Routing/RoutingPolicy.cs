using HelpdeskSidecar.Copilot.Policy;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>
/// Turns the policy's routing rules into route decisions for one ticket. Rules are read in the file's order; for each
/// target (group, priority, each field) the first matching rule that is not <c>off</c> decides. A rule's mode is the
/// ops lead's override when there is one (console, <c>PUT /api/routing/rules/{rule}</c>), else the file's. On a ticket
/// flagged for prompt injection nothing is applied automatically: an <c>auto</c> route is only suggested.
/// </summary>
internal sealed class RoutingPolicy(RoutingStore store)
{
    public const string FromPolicy = "policy";
    public const string FromOverride = "override";

    public async Task<IReadOnlyList<RouteDecision>> DecideAsync(
        CompiledPolicy policy, PolicyInput input, IReadOnlyList<string> injectionFlags, CancellationToken ct)
    {
        if (policy.Routing.Count == 0)
            return [];
        var overrides = (await store.ListAsync(ct)).ToDictionary(m => m.Rule, m => m.Mode, StringComparer.Ordinal);
        return Decide(policy.Routing, input, overrides, injectionFlags.Count > 0);
    }

    public static IReadOnlyList<RouteDecision> Decide(
        IReadOnlyList<RoutingRule> rules, PolicyInput input, IReadOnlyDictionary<string, string> overrides, bool injection)
    {
        var decisions = new List<RouteDecision>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var (mode, setBy) = overrides.TryGetValue(rule.Name, out var o) ? (o, FromOverride) : (rule.Mode, FromPolicy);
            if (mode == RouteNames.Off || !rule.Match.IsMatch(input, out _))
                continue;
            var action = mode == RouteNames.Auto && !injection ? RouteDecision.Apply : RouteDecision.SuggestOnly;
            foreach (var target in rule.Targets.Where(t => claimed.Add(t.Target)))
                decisions.Add(new RouteDecision(rule.Name, target.Target, target.Value, mode, setBy, action));
        }
        return decisions;
    }
}
