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
        decision.Mode is { } m && Enum.TryParse<SidecarMode>(m, ignoreCase: true, out var mode) ? mode : configured;
}
