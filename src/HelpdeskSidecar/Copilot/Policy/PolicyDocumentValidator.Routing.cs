using FluentValidation.Results;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>The <c>routing:</c> section: each failure's path follows the YAML (<c>routing[1].priority</c>) so it gets its line.</summary>
internal sealed partial class PolicyDocumentValidator
{
    private static IEnumerable<ValidationFailure> RoutingFailures(PolicyDocument doc)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var segments = doc.Segments.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < doc.Routing.Count; i++)
        {
            var path = $"routing[{i}]";
            var rule = doc.Routing[i];
            if (rule is null)
            {
                yield return new(path, "A routing rule needs name, match and at least one of group, priority, fields.");
                continue;
            }
            if (!RuleName().IsMatch(rule.Name ?? ""))
                yield return new($"{path}.name", "A routing rule needs a name of lowercase letters, digits, '-' or '_'.");
            else if (!names.Add(rule.Name!))
                yield return new($"{path}.name", $"Routing rule names must be unique; '{rule.Name}' is used twice.");
            if (rule.Mode is not null && !RouteNames.IsMode(rule.Mode))
                yield return new($"{path}.mode", $"'{rule.Mode}' is not a routing mode (off, suggest, auto).");
            if (rule.Match is null || rule.Match.IsEmpty)
                yield return new($"{path}.match", "A routing rule must match on something (intent, tags, channel, brand, language, sentiment, urgency, segment or keywords).");
            if (rule.Group is null && rule.Priority is null && (rule.Fields is null || rule.Fields.Count == 0))
                yield return new(path, "A routing rule must set at least one of group, priority, fields.");
            if (rule.Group is not null && !GroupId().IsMatch(rule.Group.Trim()))
                yield return new($"{path}.group", $"'{rule.Group}' is not a group id (the helpdesk's number, e.g. 360001234567).");
            if (rule.Priority is not null && RouteNames.PriorityName(rule.Priority) is null)
                yield return new($"{path}.priority", $"'{rule.Priority}' is not a priority (low, normal or medium, high, urgent).");
            foreach (var (key, value) in rule.Fields ?? [])
            {
                if (!FieldKey().IsMatch(key ?? ""))
                    yield return new($"{path}.fields.{key}", $"'{key}' is not a ticket field (a Zendesk field id or a Freshdesk field name such as cf_tier).");
                else if (string.IsNullOrWhiteSpace(value))
                    yield return new($"{path}.fields.{key}", "Give the value the field is set to.");
            }
            if (rule.Match is null)
                continue;
            foreach (var failure in MatchValues(path, rule.Match, segments, doc))
                yield return failure;
        }
    }

    private static IEnumerable<ValidationFailure> MatchValues(string path, PolicyMatchSpec match, HashSet<string> segments, PolicyDocument doc)
    {
        var sentiments = match.Sentiment ?? [];
        for (var j = 0; j < sentiments.Count; j++)
        {
            if (!Sentiments.Contains(sentiments[j], StringComparer.OrdinalIgnoreCase))
                yield return new($"{path}.match.sentiment[{j}]", $"'{sentiments[j]}' is not a sentiment (negative, neutral, positive).");
        }
        var urgencies = match.Urgency ?? [];
        for (var j = 0; j < urgencies.Count; j++)
        {
            if (!Urgencies.Contains(urgencies[j], StringComparer.OrdinalIgnoreCase))
                yield return new($"{path}.match.urgency[{j}]", $"'{urgencies[j]}' is not an urgency (low, medium, high).");
        }
        var wanted = match.Segment ?? [];
        for (var j = 0; j < wanted.Count; j++)
        {
            if (!segments.Contains(wanted[j] ?? ""))
            {
                var known = segments.Count == 0 ? "none is defined" : $"defined: {string.Join(", ", doc.Segments.Keys.Order(StringComparer.Ordinal))}";
                yield return new($"{path}.match.segment[{j}]", $"'{wanted[j]}' is not a segment under 'segments' ({known}).");
            }
        }
        var keywords = match.Keywords ?? [];
        for (var j = 0; j < keywords.Count; j++)
        {
            if (string.IsNullOrWhiteSpace(keywords[j]))
                yield return new($"{path}.match.keywords[{j}]", "A keyword must not be empty.");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial System.Text.RegularExpressions.Regex RuleName();

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{1,19}$")]
    private static partial System.Text.RegularExpressions.Regex GroupId();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_]{1,80}$")]
    private static partial System.Text.RegularExpressions.Regex FieldKey();
}
