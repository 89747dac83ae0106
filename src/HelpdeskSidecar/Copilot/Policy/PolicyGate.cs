using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions.Tagging;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>Where the pipeline meets the policy: what the rules see, and what they let through.</summary>
internal static class PolicyGate
{
    /// <summary>Labels from the understanding and the helpdesk, and the redacted customer text for keywords.</summary>
    public static PolicyInput InputFor(HelpdeskTicket redacted, TicketUnderstanding understanding, string redactedCustomerText) => new(
        understanding.Intent?.Label,
        understanding.Tags.Select(t => t.Label).Concat(redacted.Tags).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        redacted.Channel,
        redacted.BrandId,
        understanding.Language,
        understanding.Sentiment?.Level,
        understanding.Urgency?.Level,
        redactedCustomerText);

    /// <summary>
    /// No <c>tags</c> action: no tag decisions at all. A ticket flagged for prompt injection: nothing is applied
    /// automatically, what would have been applied is only suggested to the agent.
    /// </summary>
    public static IReadOnlyList<TagDecision> Tags(IReadOnlyList<TagDecision> tags, PolicyDecision decision, IReadOnlyList<string> injectionFlags)
    {
        if (!decision.Allows(PolicyActions.Tags))
            return [];
        return injectionFlags.Count == 0 ? tags
            : tags.Select(t => t.Action == TagDecision.Apply ? t with { Action = TagDecision.SuggestOnly } : t).ToList();
    }

    public static SidecarMode Mode(PolicyDecision decision, SidecarMode configured) =>
        Mode(decision, null, null, Settings.ModeOverrides.None, configured).Mode;

    /// <summary>
    /// The mode for one ticket, first that applies: a rule's own <c>mode</c> (a safety rule such as "unhappy customers
    /// stay in shadow" beats any override), the intent's override, the brand's override, the policy's <c>defaults</c>
    /// mode, <c>Sidecar:Mode</c>. The decision comes back with the mode and what set it, for the trace.
    /// </summary>
    public static (SidecarMode Mode, PolicyDecision Decision) Mode(
        PolicyDecision decision, string? intent, string? brand, Settings.ModeOverrides overrides, SidecarMode configured)
    {
        var fromPolicy = decision.Mode is { } m && Enum.TryParse<SidecarMode>(m, ignoreCase: true, out var parsed) ? parsed : (SidecarMode?)null;
        var (mode, setBy) =
            fromPolicy is { } rule && decision.ModeSetBy?.StartsWith(ModeOrigins.RulePrefix, StringComparison.Ordinal) == true ? (rule, decision.ModeSetBy)
            : intent is not null && overrides.Intents.TryGetValue(intent, out var byIntent) ? (byIntent, $"{ModeOrigins.IntentPrefix}{intent}")
            : brand is not null && overrides.Brands.TryGetValue(brand, out var byBrand) ? (byBrand, $"{ModeOrigins.BrandPrefix}{brand}")
            : fromPolicy is { } defaults ? (defaults, decision.ModeSetBy ?? ModeOrigins.PolicyDefaults)
            : (configured, ModeOrigins.Configured);
        return (mode, decision with { Mode = mode.ToString().ToLowerInvariant(), ModeSetBy = setBy });
    }
}

/// <summary>The values of <see cref="PolicyDecision.ModeSetBy"/>.</summary>
internal static class ModeOrigins
{
    public const string RulePrefix = "rule:";
    public const string IntentPrefix = "intent override:";
    public const string BrandPrefix = "brand override:";
    public const string PolicyDefaults = "policy defaults";
    public const string Configured = "Sidecar:Mode";
}
