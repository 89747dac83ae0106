using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

/// <summary>Customer segments in the policy file: definitions, validation with lines, membership and matching.</summary>
public class PolicySegmentTests
{
    private const string Valid = """
        version: 1
        segments:
          vip:
            organization_tags: [vip]
            user_tags: [VIP]
          enterprise:
            organization_fields:
              plan: [enterprise]
              account_tier: [Enterprise, Premium]
        rules:
          - name: key-account
            match:
              segment: [vip, enterprise]
            mode: shadow
            actions: [draft, summary]
          - name: billing
            match:
              intent: [billing]
            escalate: "Billing is done by people."
        """;

    private static HelpdeskCustomer Customer(string[]? userTags = null, string[]? orgTags = null, (string Key, string Value)[]? orgFields = null) => new(
        userTags ?? [], new Dictionary<string, IReadOnlyList<string>>(),
        orgTags ?? [], (orgFields ?? []).ToDictionary(f => f.Key, f => (IReadOnlyList<string>)[f.Value], StringComparer.OrdinalIgnoreCase));

    private static CompiledPolicy Compile(string yaml)
    {
        var result = PolicyLoader.Parse("policy.yaml", yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Policy!;
    }

    [Test]
    public void SegmentsOf_AnyCriterionPutsTheCustomerIn_CaseInsensitive()
    {
        var policy = Compile(Valid);
        Assert.That(policy.SegmentsOf(Customer(orgTags: ["vip"])), Is.EqualTo(new[] { "vip" }));
        Assert.That(policy.SegmentsOf(Customer(userTags: ["vip"])), Is.EqualTo(new[] { "vip" }), "user tag VIP, any case");
        Assert.That(policy.SegmentsOf(Customer(orgFields: [("account_tier", "premium")])), Is.EqualTo(new[] { "enterprise" }));
        Assert.That(policy.SegmentsOf(Customer(orgTags: ["vip"], orgFields: [("PLAN", "Enterprise")])), Is.EqualTo(new[] { "vip", "enterprise" }));
        Assert.That(policy.SegmentsOf(Customer(orgTags: ["smiley"], orgFields: [("plan", "basic")])), Is.Empty);
        Assert.That(policy.SegmentsOf(HelpdeskCustomer.Unknown), Is.Empty);
    }

    [Test]
    public void Decide_SegmentRule_MatchesOnlyCustomersInTheSegment_AndTheTraceNamesTheSegments()
    {
        var policy = Compile(Valid);
        var input = new PolicyInput("refund", [], "email", null, "en", "neutral", "low", "When will my refund arrive?");

        var vip = PolicyEngine.Decide(policy, "policy.yaml", input with { Segments = ["vip"] });
        Assert.That(vip.Rule, Is.EqualTo("key-account"));
        Assert.That(vip.Matched, Is.EqualTo(new[] { "segment:vip" }));
        Assert.That(vip.Segments, Is.EqualTo(new[] { "vip" }));
        Assert.That(vip.Mode, Is.EqualTo("shadow"));

        var other = PolicyEngine.Decide(policy, "policy.yaml", input);
        Assert.That(other.Rule, Is.EqualTo(PolicyEngine.DefaultRule));
        Assert.That(other.Segments, Is.Empty);
    }

    [Test]
    public void Parse_RuleNamesAnUndefinedSegment_RejectedWithTheLineOfTheValue()
    {
        var result = PolicyLoader.Parse("policy.yaml", Valid.Replace("segment: [vip, enterprise]", "segment: [vip, gold]", StringComparison.Ordinal));

        Assert.That(result.Policy, Is.Null);
        var error = result.Errors.Single();
        Assert.That(error.Line, Is.EqualTo(13), error.ToString());
        Assert.That(error.Message, Does.Contain("rules[0].match.segment[1]").And.Contain("'gold'").And.Contain("enterprise, vip"));
    }

    [Test]
    public void Parse_SegmentWithoutCriteriaOrWithABadName_RejectedWithTheLineOfTheSegment()
    {
        var yaml = """
            version: 1
            segments:
              vip:
                organization_tags: [vip]
              Big Spenders:
                user_tags: [big]
              empty: {}
              blank-field:
                user_fields:
                  plan: []
            rules: []
            """;
        var errors = PolicyLoader.Parse("p.yaml", yaml).Errors;

        Assert.That(errors.Select(e => (e.Line, e.Message.Split(':')[0])), Is.EquivalentTo(new[]
        {
            (5L, "segments.Big Spenders"), (7L, "segments.empty"), (10L, "segments.blank-field.user_fields.plan"),
        }), string.Join("\n", errors));
    }

    [Test]
    public void Parse_MatchOnSegmentAlone_IsAMatch()
    {
        var policy = Compile("""
            version: 1
            segments:
              vip: { user_tags: [vip] }
            rules:
              - name: vip
                match: { segment: [vip] }
                escalate: "VIP"
            """);
        Assert.That(policy.Rules.Single().Match.Segment, Is.EqualTo(new[] { "vip" }));
    }
}
