using System.Text.RegularExpressions;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>Turns a validated <see cref="PolicyDocument"/> into a <see cref="CompiledPolicy"/>.</summary>
internal static partial class PolicyCompiler
{
    public static CompiledPolicy Compile(PolicyDocument doc)
    {
        var builtIn = CompiledPolicy.BuiltIn.Defaults;
        var defaults = Outcome(doc.Defaults, builtIn);
        var rules = doc.Rules.Select(r => new PolicyRule(r.Name, Match(r.Match), Outcome(r, defaults), r.Escalate?.Trim()) { SetsMode = r.Mode is not null }).ToList();
        var segments = doc.Segments.Select(s => new CustomerSegment(
            s.Key, Trimmed(s.Value.UserTags), Trimmed(s.Value.OrganizationTags), Fields(s.Value.UserFields), Fields(s.Value.OrganizationFields))
        {
            History = (s.Value.History ?? []).Select(h => HistoryCondition.Parse(h).Condition ?? throw new InvalidOperationException(h)).ToList(),
        }).ToList();
        return new CompiledPolicy(defaults, rules, doc.Guardrails.BannedPhrases.Select(p => p.Trim()).ToList()) { Segments = segments, Routing = Routing(doc.Routing) };
    }

    private static PolicyOutcome Outcome(PolicyOutcomeSpec spec, PolicyOutcome fallback) => new(
        spec.Tiers is { } tiers ? tiers.Select(t => TryTier(t, out var tier) ? tier : throw new InvalidOperationException(t)).Distinct().ToList() : fallback.Tiers,
        spec.Visibility is { } v && TryVisibility(v, out var visibility) ? visibility : fallback.Visibility,
        spec.Actions is { } actions ? actions.Select(a => a.ToLowerInvariant()).Distinct().ToList() : fallback.Actions,
        spec.Mode is { } m ? Enum.Parse<SidecarMode>(m, ignoreCase: true) : fallback.Mode);

    private static IReadOnlyList<string> Trimmed(List<string>? values) => values?.Select(v => v.Trim()).ToList() ?? [];

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Fields(Dictionary<string, List<string>>? fields) =>
        (fields ?? []).ToDictionary(f => f.Key.Trim(), f => Trimmed(f.Value), StringComparer.OrdinalIgnoreCase);

    internal static PolicyMatch Match(PolicyMatchSpec m) => new(
        m.Intent, m.Tags, m.Channel, m.Brand, m.Language, m.Sentiment, m.Urgency,
        m.Keywords is { Count: > 0 } k
            ? new Regex(@"(?<!\w)(?:" + string.Join("|", k.Select(w => Regex.Escape(w.Trim()).Replace(@"\ ", @"\s+", StringComparison.Ordinal))) + @")(?!\w)",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : null)
    {
        Segment = m.Segment,
    };

    public static bool TryTier(string? text, out KnowledgeTier tier) =>
        Enum.TryParse(text?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out tier) && Enum.IsDefined(tier) && !int.TryParse(text, out _);

    public static bool TryVisibility(string? text, out KnowledgeVisibility visibility) =>
        Enum.TryParse(text, ignoreCase: true, out visibility) && Enum.IsDefined(visibility) && !int.TryParse(text, out _);
}

internal static class PolicyNames
{
    public static string Tier(KnowledgeTier tier) => tier == KnowledgeTier.PastTicket ? "past_ticket" : tier.ToString().ToLowerInvariant();

    public static string Visibility(KnowledgeVisibility visibility) => visibility.ToString().ToLowerInvariant();
}
