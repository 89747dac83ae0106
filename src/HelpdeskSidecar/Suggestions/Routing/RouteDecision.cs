using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>
/// One route the rules made for a ticket, part of the suggestion's trace: which rule, what it sets (<c>group</c>,
/// <c>priority</c>, <c>field:{key}</c>) to which value, the rule's mode and what set it, and the action:
/// <c>auto</c> (applied in Live mode) or <c>suggest</c> (listed in the note and the apps).
/// </summary>
internal sealed record RouteDecision(string Rule, string Target, string Value, string Mode, string ModeSetBy, string Action)
{
    public const string Apply = RouteNames.Auto;
    public const string SuggestOnly = RouteNames.Suggest;

    /// <summary>How the note and the apps name it: <c>group 360001</c>, <c>priority high</c>, <c>field cf_tier = gold</c>.</summary>
    public string Label => Target.StartsWith(RouteNames.FieldPrefix, StringComparison.Ordinal)
        ? $"field {Target[RouteNames.FieldPrefix.Length..]} = {Value}"
        : $"{Target} {Value}";

    /// <summary>The part of a ticket's route these decisions set.</summary>
    public static TicketRoute ToRoute(IEnumerable<RouteDecision> decisions)
    {
        var list = decisions.ToList();
        return new TicketRoute(
            list.FirstOrDefault(d => d.Target == RouteNames.Group)?.Value,
            list.FirstOrDefault(d => d.Target == RouteNames.Priority)?.Value,
            list.Where(d => d.Target.StartsWith(RouteNames.FieldPrefix, StringComparison.Ordinal))
                .ToDictionary(d => d.Target[RouteNames.FieldPrefix.Length..], d => d.Value, StringComparer.Ordinal));
    }

    /// <summary>Whether the ticket's route has this decision's value (what "kept" means when the ticket is solved).</summary>
    public bool IsIn(TicketRoute route) => Target switch
    {
        RouteNames.Group => string.Equals(route.GroupId, Value, StringComparison.Ordinal),
        RouteNames.Priority => string.Equals(RouteNames.PriorityName(route.Priority), Value, StringComparison.Ordinal),
        _ => route.Fields.TryGetValue(Target[RouteNames.FieldPrefix.Length..], out var v) && string.Equals(v.Trim(), Value, StringComparison.OrdinalIgnoreCase),
    };
}
