using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Suggestions.Tagging;

/// <summary>
/// Turns the predicted tags and intent into decisions: each label is governed by its own rule (a tag rule for a
/// tag, an intent rule for the intent, which is applied as a tag of the same name), else by the defaults in
/// <c>Sidecar:Tagging</c>; the intent's default is <c>off</c> so no intent becomes a tag unless an ops lead asks.
/// A label below its rule's threshold is neither suggested nor applied.
/// </summary>
internal sealed class TaggingPolicy(TaggingStore store, IOptions<SidecarOptions> options)
{
    public async Task<IReadOnlyList<TagDecision>> DecideAsync(TicketUnderstanding? understanding, CancellationToken ct)
    {
        if (understanding is null || (understanding.Tags.Count == 0 && understanding.Intent is null))
            return [];
        var rules = (await store.ListAsync(ct)).ToDictionary(r => (r.Scope, r.Name));
        var defaults = options.Value.Tagging;
        var defaultMode = Enum.Parse<TagMode>(defaults.DefaultMode, ignoreCase: true);

        var decisions = new List<TagDecision>();
        foreach (var tag in understanding.Tags)
            decisions.Add(Decide(TagScopes.Tag, tag, rules, defaultMode, defaults.DefaultThreshold));
        if (understanding.Intent is { } intent)
            decisions.Add(Decide(TagScopes.Intent, intent, rules, TagMode.Off, defaults.DefaultThreshold));
        return decisions;
    }

    private static TagDecision Decide(string scope, LabelScore label, Dictionary<(string, string), TagRule> rules, TagMode defaultMode, double defaultThreshold)
    {
        var (mode, threshold) = rules.TryGetValue((scope, label.Label), out var rule)
            ? (Enum.Parse<TagMode>(rule.Mode, ignoreCase: true), rule.Threshold)
            : (defaultMode, defaultThreshold);
        var action = mode == TagMode.Off || label.Confidence < threshold ? TagDecision.None
            : mode == TagMode.Auto ? TagDecision.Apply
            : TagDecision.SuggestOnly;
        return new TagDecision(label.Label, scope, label.Confidence, TagModes.Name(mode), threshold, action);
    }
}
