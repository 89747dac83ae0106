namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>
/// The policy file as written (YAML, snake_case keys). Plain strings here; <see cref="PolicyDocumentValidator"/>
/// checks them and <see cref="PolicyCompiler"/> turns them into the typed <see cref="CompiledPolicy"/>.
/// </summary>
internal sealed class PolicyDocument
{
    public int Version { get; set; } = 1;

    public PolicyOutcomeSpec Defaults { get; set; } = new();

    public List<PolicyRuleSpec> Rules { get; set; } = [];

    /// <summary>Customer segments by name, derived from helpdesk user and organization data; rules match them with <c>segment</c>.</summary>
    public Dictionary<string, SegmentSpec> Segments { get; set; } = [];

    public GuardrailSpec Guardrails { get; set; } = new();

    /// <summary>Routing rules: which group, priority or ticket fields a matching ticket should get (see <see cref="RoutingRuleSpec"/>).</summary>
    public List<RoutingRuleSpec> Routing { get; set; } = [];
}

/// <summary>What a rule (or the defaults) decides; a rule's unset fields fall back to the defaults.</summary>
internal class PolicyOutcomeSpec
{
    /// <summary><c>faq</c>, <c>article</c>, <c>past_ticket</c>, <c>internal</c>.</summary>
    public List<string>? Tiers { get; set; }

    /// <summary><c>public</c> (may be quoted to a customer) or <c>agents</c>.</summary>
    public string? Visibility { get; set; }

    /// <summary><c>draft</c>, <c>summary</c>, <c>tags</c>.</summary>
    public List<string>? Actions { get; set; }

    /// <summary><c>shadow</c> or <c>live</c>; unset keeps <c>Sidecar:Mode</c>.</summary>
    public string? Mode { get; set; }
}

internal sealed class PolicyRuleSpec : PolicyOutcomeSpec
{
    public string Name { get; set; } = "";

    public PolicyMatchSpec Match { get; set; } = new();

    /// <summary>When set, a human must take over and this is the reason the note gives.</summary>
    public string? Escalate { get; set; }
}

/// <summary>Every criterion given must hold (AND); within one criterion any listed value will do (OR).</summary>
internal sealed class PolicyMatchSpec
{
    public List<string>? Intent { get; set; }
    public List<string>? Tags { get; set; }
    public List<string>? Channel { get; set; }
    public List<string>? Brand { get; set; }
    public List<string>? Language { get; set; }
    public List<string>? Sentiment { get; set; }
    public List<string>? Urgency { get; set; }

    /// <summary>Names of segments defined under <c>segments</c>; the requester must be in one of them.</summary>
    public List<string>? Segment { get; set; }

    /// <summary>Words or phrases, matched as whole words, case-insensitively, on the redacted customer text.</summary>
    public List<string>? Keywords { get; set; }

    public bool IsEmpty => new[] { Intent, Tags, Channel, Brand, Language, Sentiment, Urgency, Segment, Keywords }.All(l => l is null || l.Count == 0);
}

/// <summary>
/// Who is in a segment. Any criterion that holds puts the requester in it (OR); within a criterion any listed value will
/// do. Tags and values compare case-insensitively. Zendesk: user <c>tags</c> / <c>user_fields</c>, organization
/// <c>tags</c> / <c>organization_fields</c>. Freshdesk: contact <c>tags</c> / <c>custom_fields</c>, company
/// <c>custom_fields</c> and <c>account_tier</c>, <c>health_score</c>, <c>industry</c> (companies have no tags).
/// </summary>
internal sealed class SegmentSpec
{
    public List<string>? UserTags { get; set; }
    public List<string>? OrganizationTags { get; set; }
    public Dictionary<string, List<string>>? UserFields { get; set; }
    public Dictionary<string, List<string>>? OrganizationFields { get; set; }

    /// <summary>
    /// Conditions on the customer's recent tickets, e.g. <c>open_tickets_this_week &gt;= 3</c> (see
    /// <see cref="HistoryCondition"/>); like the other criteria, any one that holds puts the customer in the segment.
    /// </summary>
    public List<string>? History { get; set; }

    public bool IsEmpty => (UserTags?.Count ?? 0) + (OrganizationTags?.Count ?? 0) + (UserFields?.Count ?? 0) + (OrganizationFields?.Count ?? 0) + (History?.Count ?? 0) == 0;
}

internal sealed class GuardrailSpec
{
    /// <summary>Phrases a draft must never contain (case-insensitive); one of them blocks the draft.</summary>
    public List<string> BannedPhrases { get; set; } = [];
}
