namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>First matching rule wins; no match means the defaults. Pure: the same input gives the same decision.</summary>
internal static class PolicyEngine
{
    public const string DefaultRule = "default";

    public static PolicyDecision Decide(CompiledPolicy policy, string source, PolicyInput input)
    {
        foreach (var rule in policy.Rules)
        {
            if (rule.Match.IsMatch(input, out var matched))
                return Decision(rule.Name, source, rule.Outcome, matched, rule.Escalate) with
                {
                    Segments = input.Segments,
                    ModeSetBy = rule.Outcome.Mode is null ? null : rule.SetsMode ? ModeOrigins.RulePrefix + rule.Name : ModeOrigins.PolicyDefaults,
                };
        }
        return Decision(DefaultRule, source, policy.Defaults, [], null) with
        {
            Segments = input.Segments,
            ModeSetBy = policy.Defaults.Mode is null ? null : ModeOrigins.PolicyDefaults,
        };
    }

    private static PolicyDecision Decision(string rule, string source, PolicyOutcome outcome, IReadOnlyList<string> matched, string? escalate) => new()
    {
        Rule = rule,
        Source = source,
        Matched = matched,
        Tiers = outcome.Tiers.Select(PolicyNames.Tier).ToList(),
        Visibility = PolicyNames.Visibility(outcome.Visibility),
        Actions = outcome.Actions,
        Mode = outcome.Mode?.ToString().ToLowerInvariant(),
        Escalate = escalate is not null,
        EscalationReason = escalate,
    };
}
