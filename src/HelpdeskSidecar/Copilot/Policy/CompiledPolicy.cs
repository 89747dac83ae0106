using System.Text.RegularExpressions;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;
using HistoryCounts = HelpdeskSidecar.Copilot.History.HistoryCounts;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>A checked policy, ready to decide: ordered rules, the defaults, the guardrail settings.</summary>
internal sealed record CompiledPolicy(PolicyOutcome Defaults, IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> BannedPhrases)
{
    /// <summary>The segments the file defines; none means requester data is never loaded.</summary>
    public IReadOnlyList<CustomerSegment> Segments { get; init; } = [];

    /// <summary>The routing rules, in the file's order (see <see cref="RoutingRule"/>).</summary>
    public IReadOnlyList<RoutingRule> Routing { get; init; } = [];

    /// <summary>The names of the segments the customer is in, in the file's order.</summary>
    /// <param name="history">The counts of the customer's recent tickets; none (not read) matches no history criterion.</param>
    public IReadOnlyList<string> SegmentsOf(Helpdesks.HelpdeskCustomer customer, HistoryCounts? history = null) =>
        Segments.Where(s => s.Contains(customer) || s.Contains(history)).Select(s => s.Name).ToList();

    /// <summary>Some segment is defined by tags or fields, so requester and organization data must be read.</summary>
    public bool NeedsCustomer => Segments.Any(s => s.UserTags.Count + s.OrganizationTags.Count + s.UserFields.Count + s.OrganizationFields.Count > 0);

    /// <summary>With no file configured: draft, summarise and tag everything from public FAQ and articles only.</summary>
    public static CompiledPolicy BuiltIn { get; } = new(
        new PolicyOutcome([KnowledgeTier.Faq, KnowledgeTier.Article], KnowledgeVisibility.Public,
            [PolicyActions.Draft, PolicyActions.Summary, PolicyActions.Tags], null),
        [], []);
}

internal sealed record PolicyOutcome(IReadOnlyList<KnowledgeTier> Tiers, KnowledgeVisibility Visibility, IReadOnlyList<string> Actions, SidecarMode? Mode);

internal sealed record PolicyRule(string Name, PolicyMatch Match, PolicyOutcome Outcome, string? Escalate)
{
    /// <summary>The rule names a <c>mode</c> itself (not inherited from <c>defaults</c>): it then beats the mode overrides.</summary>
    public bool SetsMode { get; init; }
}

internal sealed record PolicyMatch(
    IReadOnlyList<string>? Intent, IReadOnlyList<string>? Tags, IReadOnlyList<string>? Channel, IReadOnlyList<string>? Brand,
    IReadOnlyList<string>? Language, IReadOnlyList<string>? Sentiment, IReadOnlyList<string>? Urgency, Regex? Keywords)
{
    public IReadOnlyList<string>? Segment { get; init; }

    /// <summary>Every criterion given must hold; returns what matched, for the trace (labels and lexicon words only).</summary>
    public bool IsMatch(PolicyInput input, out IReadOnlyList<string> matched)
    {
        var why = new List<string>();
        matched = why;
        if (!AnyOf(Intent, input.Intent is null ? [] : [input.Intent], "intent", why)) return false;
        if (!AnyOf(Tags, input.Tags, "tag", why)) return false;
        if (!AnyOf(Channel, input.Channel is null ? [] : [input.Channel], "channel", why)) return false;
        if (!AnyOf(Brand, input.Brand is null ? [] : [input.Brand], "brand", why)) return false;
        if (!AnyOf(Language, input.Language is null ? [] : [input.Language], "language", why)) return false;
        if (!AnyOf(Sentiment, input.Sentiment is null ? [] : [input.Sentiment], "sentiment", why)) return false;
        if (!AnyOf(Urgency, input.Urgency is null ? [] : [input.Urgency], "urgency", why)) return false;
        if (!AnyOf(Segment, input.Segments, "segment", why)) return false;
        if (Keywords is not null)
        {
            var hit = Keywords.Match(input.Text);
            if (!hit.Success) return false;
            // The keyword comes from the policy file, not the ticket, so it is safe to record.
            why.Add($"keyword:{hit.Value.ToLowerInvariant()}");
        }
        return true;
    }

    private static bool AnyOf(IReadOnlyList<string>? wanted, IEnumerable<string> actual, string label, List<string> why)
    {
        if (wanted is null || wanted.Count == 0)
            return true;
        var found = actual.FirstOrDefault(a => wanted.Contains(a, StringComparer.OrdinalIgnoreCase));
        if (found is null)
            return false;
        why.Add($"{label}:{found}");
        return true;
    }
}

/// <summary>What a policy decides on: labels of the understood ticket and its redacted customer text.</summary>
internal sealed record PolicyInput(
    string? Intent, IReadOnlyList<string> Tags, string? Channel, string? Brand, string? Language, string? Sentiment, string? Urgency, string Text)
{
    /// <summary>The segments the requester is in (names from the policy file).</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];
}

/// <summary>A compiled <see cref="SegmentSpec"/>: any criterion that holds puts the customer in the segment.</summary>
internal sealed record CustomerSegment(
    string Name, IReadOnlyList<string> UserTags, IReadOnlyList<string> OrganizationTags,
    IReadOnlyDictionary<string, IReadOnlyList<string>> UserFields, IReadOnlyDictionary<string, IReadOnlyList<string>> OrganizationFields)
{
    /// <summary>Conditions on the customer's recent tickets (<c>open_tickets_this_week &gt;= 3</c>): any that holds puts them in.</summary>
    public IReadOnlyList<HistoryCondition> History { get; init; } = [];

    public bool Contains(HistoryCounts? counts) => counts is not null && History.Any(c => c.Holds(counts));

    public bool Contains(Helpdesks.HelpdeskCustomer customer) =>
        AnyTag(UserTags, customer.UserTags) || AnyTag(OrganizationTags, customer.OrganizationTags)
        || AnyField(UserFields, customer.UserFields) || AnyField(OrganizationFields, customer.OrganizationFields);

    private static bool AnyTag(IReadOnlyList<string> wanted, IReadOnlyList<string> actual) =>
        wanted.Any(w => actual.Contains(w, StringComparer.OrdinalIgnoreCase));

    private static bool AnyField(IReadOnlyDictionary<string, IReadOnlyList<string>> wanted, IReadOnlyDictionary<string, IReadOnlyList<string>> actual) =>
        wanted.Any(w => actual.FirstOrDefault(a => string.Equals(a.Key, w.Key, StringComparison.OrdinalIgnoreCase)).Value is { } values
            && values.Any(v => w.Value.Contains(v.Trim(), StringComparer.OrdinalIgnoreCase)));
}
