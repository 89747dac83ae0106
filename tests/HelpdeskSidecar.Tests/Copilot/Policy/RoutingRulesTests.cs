using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Suggestions.Routing;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

/// <summary>The policy file's <c>routing:</c> section: parsed, checked with the line and field of each fault, and decided.</summary>
public class RoutingRulesTests
{
    private const string Valid = """
        version: 1
        segments:
          vip:
            organization_tags: [vip]
        routing:
          - name: billing-queue
            mode: auto
            match:
              intent: [billing]
              brand: ["360001"]
            group: "4242"
            priority: medium
          - name: vip-first
            match:
              segment: [vip]
            priority: urgent
            fields:
              cf_tier: gold
          - name: angry-to-seniors
            mode: off
            match:
              sentiment: [negative]
            group: "7"
        """;

    private static PolicyInput Input(string? intent = null, string? brand = null, string? sentiment = null, params string[] segments) =>
        new(intent, [], "email", brand, "en", sentiment, null, "some redacted text") { Segments = segments };

    [Test]
    public void Parse_ValidRoutingSection_CompilesRulesWithTheirTargetsAndModes()
    {
        var result = PolicyLoader.Parse("policy.yaml", Valid);

        Assert.That(result.Errors, Is.Empty);
        var rules = result.Policy!.Routing;
        Assert.That(rules.Select(r => (r.Name, r.Mode)), Is.EqualTo(new[] { ("billing-queue", "auto"), ("vip-first", "suggest"), ("angry-to-seniors", "off") }),
            "a rule without mode suggests");
        Assert.That(rules[0].Targets, Is.EqualTo(new[] { new RouteTarget("group", "4242"), new RouteTarget("priority", "normal") }), "Freshdesk's medium is the neutral normal");
        Assert.That(rules[1].Targets, Is.EqualTo(new[] { new RouteTarget("priority", "urgent"), new RouteTarget("field:cf_tier", "gold") }));
    }

    [TestCase("routing:\n  - name: x\n    match: { intent: [billing] }\n    priority: asap\n", 4, "routing[0].priority: 'asap' is not a priority (low, normal or medium, high, urgent).")]
    [TestCase("routing:\n  - name: x\n    match: { intent: [billing] }\n    group: sales\n", 4, "routing[0].group: 'sales' is not a group id (the helpdesk's number, e.g. 360001234567).")]
    [TestCase("routing:\n  - name: x\n    mode: always\n    match: { intent: [billing] }\n    group: \"1\"\n", 3, "routing[0].mode: 'always' is not a routing mode (off, suggest, auto).")]
    [TestCase("routing:\n  - name: x\n    match: { intent: [billing] }\n", 2, "routing[0]: A routing rule must set at least one of group, priority, fields.")]
    [TestCase("routing:\n  - name: x\n    group: \"1\"\n", 2, "routing[0].match: A routing rule must match on something (intent, tags, channel, brand, language, sentiment, urgency, segment or keywords).")]
    [TestCase("routing:\n  - name: Bad Name\n    match: { intent: [billing] }\n    group: \"1\"\n", 2, "routing[0].name: A routing rule needs a name of lowercase letters, digits, '-' or '_'.")]
    [TestCase("routing:\n  - name: x\n    match: { segment: [gold] }\n    group: \"1\"\n", 3, "routing[0].match.segment[0]: 'gold' is not a segment under 'segments' (none is defined).")]
    [TestCase("routing:\n  - name: x\n    match: { sentiment: [furious] }\n    group: \"1\"\n", 3, "routing[0].match.sentiment[0]: 'furious' is not a sentiment (negative, neutral, positive).")]
    [TestCase("routing:\n  - name: x\n    match: { intent: [billing] }\n    fields:\n      \"cf tier\": gold\n", 5, "routing[0].fields.cf tier: 'cf tier' is not a ticket field (a Zendesk field id or a Freshdesk field name such as cf_tier).")]
    [TestCase("routing:\n  - name: x\n    match: { intent: [billing] }\n    fields:\n      cf_tier: \"\"\n", 5, "routing[0].fields.cf_tier: Give the value the field is set to.")]
    public void Parse_BadRoutingRule_OneErrorOnTheLineOfTheField(string routing, long line, string message)
    {
        var result = PolicyLoader.Parse("policy.yaml", "version: 1\n" + routing);

        Assert.That(result.Policy, Is.Null);
        var error = result.Errors.Single();
        Assert.That((error.Line, error.Message), Is.EqualTo((line + 1, message)));
    }

    [Test]
    public void Parse_DuplicateRoutingRuleNames_SaysWhichOnWhichLine()
    {
        var yaml = "version: 1\nrouting:\n  - name: a\n    match: { intent: [x] }\n    group: \"1\"\n  - name: a\n    match: { intent: [y] }\n    group: \"2\"\n";

        var error = PolicyLoader.Parse("policy.yaml", yaml).Errors.Single();

        Assert.That((error.Line, error.Message), Is.EqualTo((6L, "routing[1].name: Routing rule names must be unique; 'a' is used twice.")));
    }

    [Test]
    public void Parse_UnknownKeyInARoutingRule_ListsTheKeysAllowedThere()
    {
        var error = PolicyLoader.Parse("policy.yaml", "version: 1\nrouting:\n  - name: a\n    queue: billing\n").Errors.Single();

        Assert.That(error.Line, Is.EqualTo(4));
        Assert.That(error.Message, Does.StartWith("Unknown key 'queue' under 'routing[0]'; the keys allowed here are name, mode, match, group, priority, fields."));
    }

    [Test]
    public void Decide_FirstMatchingRuleTakesEachTarget_OffRulesAreSkipped_BrandScopesARule()
    {
        var rules = PolicyLoader.Parse("policy.yaml", Valid).Policy!.Routing;

        var billingVip = RoutingPolicy.Decide(rules, Input("billing", "360001", "negative", "vip"), new Dictionary<string, string>(), injection: false);
        Assert.That(billingVip.Select(d => (d.Rule, d.Target, d.Value, d.Action)), Is.EqualTo(new[]
        {
            ("billing-queue", "group", "4242", "auto"),
            ("billing-queue", "priority", "normal", "auto"),
            ("vip-first", "field:cf_tier", "gold", "suggest"), // its priority was already taken by the first rule
        }), "angry-to-seniors is off: its group is not suggested");

        var otherBrand = RoutingPolicy.Decide(rules, Input("billing", "999", null), new Dictionary<string, string>(), injection: false);
        Assert.That(otherBrand, Is.Empty, "billing-queue is for brand 360001 only");
    }

    [Test]
    public void Decide_OverrideBeatsTheFile_InjectionFlagTurnsAutoIntoSuggest()
    {
        var rules = PolicyLoader.Parse("policy.yaml", Valid).Policy!.Routing;
        var overrides = new Dictionary<string, string> { ["billing-queue"] = "suggest", ["angry-to-seniors"] = "auto" };

        var decided = RoutingPolicy.Decide(rules, Input("billing", "360001", "negative"), overrides, injection: false);
        Assert.That(decided.Select(d => (d.Rule, d.Target, d.Action, d.ModeSetBy)), Is.EqualTo(new[]
        {
            ("billing-queue", "group", "suggest", "override"),
            ("billing-queue", "priority", "suggest", "override"),
        }), "the first rule still claims the group before angry-to-seniors");

        var flagged = RoutingPolicy.Decide(rules, Input(null, null, "negative"), overrides, injection: true);
        Assert.That(flagged.Select(d => (d.Rule, d.Target, d.Mode, d.Action)), Is.EqualTo(new[] { ("angry-to-seniors", "group", "auto", "suggest") }));
    }

    [Test]
    public void WithRoutes_PutsTheRoutingLinesAboveTheMarker_NoteUnchangedWithoutRoutes()
    {
        var note = "Draft text\n\n[sidecar-suggestion:abc]";
        RouteDecision[] routes =
        [
            new("billing-queue", "group", "4242", "auto", "policy", "auto"),
            new("vip-first", "field:cf_tier", "gold", "suggest", "policy", "suggest"),
        ];

        var routed = HelpdeskSidecar.Suggestions.NoteFormatter.WithRoutes(note, "abc", routes);

        Assert.That(routed, Does.EndWith("[sidecar-suggestion:abc]"));
        Assert.That(routed, Does.Contain("Suggested route: field cf_tier = gold (rule vip-first)"));
        Assert.That(routed, Does.Contain("Auto-route (applied in Live mode): group 4242 (rule billing-queue)"));
        Assert.That(routed.IndexOf("Auto-route", StringComparison.Ordinal), Is.LessThan(routed.IndexOf("[sidecar-suggestion", StringComparison.Ordinal)));
        Assert.That(HelpdeskSidecar.Suggestions.NoteFormatter.WithRoutes(note, "abc", []), Is.EqualTo(note));
    }
}
