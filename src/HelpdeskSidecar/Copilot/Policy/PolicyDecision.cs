using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>What the policy decided for one ticket and why; stored in the suggestion's trace.</summary>
internal sealed record PolicyDecision
{
    /// <summary>The rule that matched, or <c>default</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>The file the policy came from, or <c>built-in</c>.</summary>
    public required string Source { get; init; }

    /// <summary>What made the rule match (<c>keyword:lawyer</c>, <c>sentiment:negative</c>…): policy terms, never ticket text.</summary>
    public IReadOnlyList<string> Matched { get; init; } = [];

    /// <summary>The customer segments the requester is in (names from the policy file, never the helpdesk data behind them).</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    public IReadOnlyList<string> Tiers { get; init; } = [];

    public required string Visibility { get; init; }

    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>
    /// <c>shadow</c> or <c>live</c>: from the policy when its rule or defaults set one; in a stored trace, the mode the
    /// ticket ran in (see <see cref="ModeSetBy"/>).
    /// </summary>
    public string? Mode { get; init; }

    /// <summary>What set <see cref="Mode"/>: <c>rule:{name}</c>, <c>intent override:{intent}</c>, <c>brand override:{brand}</c>, <c>policy defaults</c> or <c>Sidecar:Mode</c>.</summary>
    public string? ModeSetBy { get; init; }

    public bool Escalate { get; init; }

    public string? EscalationReason { get; init; }

    public bool Allows(string action) => Actions.Contains(action, StringComparer.Ordinal);

    public RetrievalScope Scope(RetrievalScope baseline) => baseline with
    {
        Tiers = Tiers.Select(t => PolicyCompiler.TryTier(t, out var tier) ? tier : KnowledgeTier.Faq).ToList(),
        Visibility = PolicyCompiler.TryVisibility(Visibility, out var v) ? v : KnowledgeVisibility.Public,
    };
}
