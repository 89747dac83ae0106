namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>
/// One routing rule as written under <c>routing:</c>: when <c>match</c> holds (the same criteria as policy rules:
/// intent, tags, language, sentiment, urgency, segment, brand…), the ticket should go to <c>group</c>, get
/// <c>priority</c> and/or have <c>fields</c> set. <c>mode</c> says what happens: <c>off</c> (nothing), <c>suggest</c>
/// (listed in the note and the apps) or <c>auto</c> (applied to the ticket in Live mode); ops leads may override it.
/// </summary>
internal sealed class RoutingRuleSpec
{
    public string Name { get; set; } = "";

    /// <summary><c>off</c>, <c>suggest</c> (the default) or <c>auto</c>.</summary>
    public string? Mode { get; set; }

    public PolicyMatchSpec Match { get; set; } = new();

    /// <summary>The helpdesk group id (Zendesk <c>group_id</c>, Freshdesk <c>group_id</c>).</summary>
    public string? Group { get; set; }

    /// <summary><c>low</c>, <c>normal</c> (Freshdesk's <c>medium</c>), <c>high</c> or <c>urgent</c>.</summary>
    public string? Priority { get; set; }

    /// <summary>Custom ticket fields: Zendesk field id or Freshdesk field name → value.</summary>
    public Dictionary<string, string>? Fields { get; set; }
}

/// <summary>A compiled <see cref="RoutingRuleSpec"/>. <see cref="Targets"/> lists what it sets, e.g. <c>group</c> → <c>360001</c>.</summary>
internal sealed record RoutingRule(string Name, string Mode, PolicyMatch Match, IReadOnlyList<RouteTarget> Targets);

/// <summary>One thing a route sets: <c>group</c>, <c>priority</c> or <c>field:{key}</c>, and the value.</summary>
internal sealed record RouteTarget(string Target, string Value);

/// <summary>The vocabulary of routing: modes, targets and the neutral priority names (Zendesk's).</summary>
internal static class RouteNames
{
    public const string Off = "off";
    public const string Suggest = "suggest";
    public const string Auto = "auto";
    public static readonly string[] Modes = [Off, Suggest, Auto];

    public const string Group = "group";
    public const string Priority = "priority";
    public const string FieldPrefix = "field:";

    public static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    /// <summary>The neutral name of a priority as written: Freshdesk's <c>medium</c> is Zendesk's <c>normal</c>.</summary>
    public static string? PriorityName(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "low" => "low",
        "normal" or "medium" => "normal",
        "high" => "high",
        "urgent" => "urgent",
        _ => null,
    };

    public static bool IsMode(string? text) => text is not null && Modes.Contains(text.Trim().ToLowerInvariant());

    public static string Field(string key) => FieldPrefix + key;
}

internal static partial class PolicyCompiler
{
    private static IReadOnlyList<RoutingRule> Routing(List<RoutingRuleSpec> specs) => specs.Select(r =>
    {
        var targets = new List<RouteTarget>();
        if (r.Group is { } group)
            targets.Add(new RouteTarget(RouteNames.Group, group.Trim()));
        if (RouteNames.PriorityName(r.Priority) is { } priority)
            targets.Add(new RouteTarget(RouteNames.Priority, priority));
        foreach (var (key, value) in r.Fields ?? [])
            targets.Add(new RouteTarget(RouteNames.Field(key.Trim()), value.Trim()));
        return new RoutingRule(r.Name, (r.Mode ?? RouteNames.Suggest).Trim().ToLowerInvariant(), Match(r.Match), targets);
    }).ToList();
}
