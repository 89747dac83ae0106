using FluentValidation;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>Checks a parsed policy file; property names follow the YAML paths so errors can be given a line.</summary>
internal sealed partial class PolicyDocumentValidator : AbstractValidator<PolicyDocument>
{
    public static readonly string[] Actions = [PolicyActions.Draft, PolicyActions.Summary, PolicyActions.Tags];
    public static readonly string[] Sentiments = ["negative", "neutral", "positive"];
    public static readonly string[] Urgencies = ["low", "medium", "high"];

    public PolicyDocumentValidator()
    {
        RuleFor(d => d.Version).Equal(1).OverridePropertyName("version");
        RuleFor(d => d.Defaults).SetValidator(new OutcomeValidator()).OverridePropertyName("defaults");
        RuleForEach(d => d.Rules).SetValidator(new RuleValidator()).OverridePropertyName("rules");
        RuleFor(d => d.Rules).Must(r => r.Select(x => x.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == r.Count)
            .OverridePropertyName("rules").WithMessage("Rule names must be unique.");
        RuleForEach(d => d.Guardrails.BannedPhrases).NotEmpty().OverridePropertyName("guardrails.banned_phrases");
        RuleFor(d => d).Custom((doc, context) =>
        {
            foreach (var failure in SegmentFailures(doc))
                context.AddFailure(failure);
        });
        RuleFor(d => d).Custom((doc, context) =>
        {
            foreach (var failure in RoutingFailures(doc))
                context.AddFailure(failure);
        });
    }

    /// <summary>Segment definitions, and rules naming segments that are not defined; paths follow the YAML for the line.</summary>
    private static IEnumerable<FluentValidation.Results.ValidationFailure> SegmentFailures(PolicyDocument doc)
    {
        foreach (var (name, spec) in doc.Segments)
        {
            var path = $"segments.{name}";
            if (!SegmentName().IsMatch(name))
                yield return new(path, "A segment needs a name of lowercase letters, digits, '-' or '_'.");
            if (spec is null || spec.IsEmpty)
            {
                yield return new(path, "A segment needs at least one of user_tags, organization_tags, user_fields, organization_fields, history.");
                continue;
            }
            foreach (var (key, tags) in new[] { ("user_tags", spec.UserTags), ("organization_tags", spec.OrganizationTags) })
            {
                if (tags is not null && (tags.Count == 0 || tags.Any(string.IsNullOrWhiteSpace)))
                    yield return new($"{path}.{key}", "List at least one tag, none of them empty.");
            }
            if (spec.History is { } history && history.Count == 0)
                yield return new($"{path}.history", "List at least one condition, e.g. 'open_tickets_this_week >= 3'.");
            for (var h = 0; h < (spec.History?.Count ?? 0); h++)
            {
                if (HistoryCondition.Parse(spec.History![h]).Error is { } error)
                    yield return new($"{path}.history[{h}]", error);
            }
            foreach (var (key, fields) in new[] { ("user_fields", spec.UserFields), ("organization_fields", spec.OrganizationFields) })
            {
                foreach (var (field, values) in fields ?? [])
                {
                    if (values is null || values.Count == 0 || values.Any(string.IsNullOrWhiteSpace))
                        yield return new($"{path}.{key}.{field}", "List the values that put a customer in the segment.");
                }
            }
        }
        var defined = doc.Segments.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < doc.Rules.Count; i++)
        {
            var wanted = doc.Rules[i].Match.Segment ?? [];
            for (var j = 0; j < wanted.Count; j++)
            {
                if (!defined.Contains(wanted[j] ?? ""))
                {
                    var known = defined.Count == 0 ? "none is defined" : $"defined: {string.Join(", ", doc.Segments.Keys.Order(StringComparer.Ordinal))}";
                    yield return new($"rules[{i}].match.segment[{j}]", $"'{wanted[j]}' is not a segment under 'segments' ({known}).");
                }
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial System.Text.RegularExpressions.Regex SegmentName();

    private class OutcomeValidator : AbstractValidator<PolicyOutcomeSpec>
    {
        public OutcomeValidator()
        {
            RuleForEach(o => o.Tiers).Must(t => PolicyCompiler.TryTier(t, out _)).OverridePropertyName("tiers")
                .WithMessage("'{PropertyValue}' is not a knowledge tier (faq, article, past_ticket, internal).");
            RuleFor(o => o.Visibility).Must(v => PolicyCompiler.TryVisibility(v, out _)).When(o => o.Visibility is not null)
                .OverridePropertyName("visibility").WithMessage("'{PropertyValue}' is not a visibility (public, agents).");
            RuleForEach(o => o.Actions).Must(a => Actions.Contains(a, StringComparer.OrdinalIgnoreCase)).OverridePropertyName("actions")
                .WithMessage("'{PropertyValue}' is not an action (draft, summary, tags).");
            RuleFor(o => o.Mode).Must(m => m is "shadow" or "live" || string.Equals(m, "shadow", StringComparison.OrdinalIgnoreCase) || string.Equals(m, "live", StringComparison.OrdinalIgnoreCase))
                .When(o => o.Mode is not null).OverridePropertyName("mode").WithMessage("'{PropertyValue}' is not a mode (shadow, live).");
        }
    }

    private sealed class RuleValidator : AbstractValidator<PolicyRuleSpec>
    {
        public RuleValidator()
        {
            Include(new OutcomeValidator());
            RuleFor(r => r.Name).NotEmpty().Matches("^[a-z0-9][a-z0-9_-]*$").OverridePropertyName("name")
                .WithMessage("A rule needs a name of lowercase letters, digits, '-' or '_'.");
            RuleFor(r => r.Match).Must(m => !m.IsEmpty).OverridePropertyName("match")
                .WithMessage("A rule must match on something (intent, tags, channel, brand, language, sentiment, urgency, segment or keywords).");
            RuleForEach(r => r.Match.Sentiment).Must(s => Sentiments.Contains(s, StringComparer.OrdinalIgnoreCase)).OverridePropertyName("match.sentiment")
                .WithMessage("'{PropertyValue}' is not a sentiment (negative, neutral, positive).");
            RuleForEach(r => r.Match.Urgency).Must(s => Urgencies.Contains(s, StringComparer.OrdinalIgnoreCase)).OverridePropertyName("match.urgency")
                .WithMessage("'{PropertyValue}' is not an urgency (low, medium, high).");
            RuleForEach(r => r.Match.Keywords).NotEmpty().OverridePropertyName("match.keywords");
            RuleFor(r => r.Escalate).NotEmpty().When(r => r.Escalate is not null).OverridePropertyName("escalate")
                .WithMessage("'escalate' must give the reason a human takes over.");
        }
    }
}

internal static class PolicyActions
{
    public const string Draft = "draft";
    public const string Summary = "summary";
    public const string Tags = "tags";
}
