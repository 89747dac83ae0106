using HelpdeskSidecar.Copilot.History;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

/// <summary>History segments in the policy file: <c>history: ["open_tickets_this_week &gt;= 3"]</c>, validated with lines, and membership.</summary>
public class PolicyHistorySegmentTests
{
    private const string Valid = """
        version: 1
        segments:
          frequent-contact:
            history: ["open_tickets_this_week >= 3", "recent_tickets > 8"]
          vip:
            organization_tags: [vip]
        rules:
          - name: repeat-contact
            match:
              segment: [frequent-contact]
            escalate: "Call the customer back."
        """;

    private static CompiledPolicy Compile(string yaml)
    {
        var result = PolicyLoader.Parse("policy.yaml", yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Policy!;
    }

    [Test]
    public void SegmentsOf_AnyHistoryConditionThatHolds_PutsTheCustomerIn_NoHistoryReadPutsNobodyIn()
    {
        var policy = Compile(Valid);

        Assert.That(policy.SegmentsOf(HelpdeskCustomer.Unknown, new HistoryCounts(3, 3, 3, 3)), Is.EqualTo(new[] { "frequent-contact" }));
        Assert.That(policy.SegmentsOf(HelpdeskCustomer.Unknown, new HistoryCounts(2, 5, 4, 9)), Is.EqualTo(new[] { "frequent-contact" }), "the second condition");
        Assert.That(policy.SegmentsOf(HelpdeskCustomer.Unknown, new HistoryCounts(2, 5, 4, 8)), Is.Empty, "2 < 3 and 8 is not > 8");
        Assert.That(policy.SegmentsOf(HelpdeskCustomer.Unknown), Is.Empty, "history not read");
        Assert.That(policy.NeedsCustomer, Is.True, "vip needs the organization's tags");
        Assert.That(Compile(Valid.Replace("  vip:\n    organization_tags: [vip]\n", "", StringComparison.Ordinal)).NeedsCustomer, Is.False,
            "a policy with history segments only never reads the requester's profile");
    }

    [Test]
    public void Decide_HistorySegmentRule_MatchesAndSaysWhy()
    {
        var policy = Compile(Valid);
        var input = new PolicyInput("refund", [], null, null, "en", null, null, "Where is my refund?") { Segments = policy.SegmentsOf(HelpdeskCustomer.Unknown, new HistoryCounts(4, 4, 4, 4)) };

        var decision = PolicyEngine.Decide(policy, "policy.yaml", input);

        Assert.That(decision.Rule, Is.EqualTo("repeat-contact"));
        Assert.That(decision.Matched, Is.EqualTo(new[] { "segment:frequent-contact" }));
        Assert.That(decision.Escalate, Is.True);
    }

    [TestCase("open_tickets_this_month >= 3", "is not a history count")]
    [TestCase("open_tickets_this_week => 3", "is not a history condition")]
    [TestCase("open_tickets_this_week >= three", "is not a history condition")]
    [TestCase("open_tickets_this_week >= 5000", "from 0 to 1000")]
    [TestCase("", "is not a history condition")]
    public void Parse_BadHistoryCondition_RejectedWithItsPathAndLine(string condition, string reason)
    {
        var result = PolicyLoader.Parse("policy.yaml", Valid.Replace("\"recent_tickets > 8\"", $"\"{condition}\"", StringComparison.Ordinal));

        Assert.That(result.Policy, Is.Null);
        var error = result.Errors.Single();
        Assert.That(error.Message, Does.Contain("segments.frequent-contact.history[1]").And.Contain(reason), error.ToString());
        Assert.That(error.Line, Is.EqualTo(4), error.ToString());
    }

    [Test]
    public void Parse_EmptyHistoryList_Rejected()
    {
        var errors = PolicyLoader.Parse("p.yaml", """
            version: 1
            segments:
              nobody:
                history: []
            rules: []
            """).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.Contain("segments.nobody"), string.Join("\n", errors));
    }

    [TestCase(">=", 3, true)]
    [TestCase(">=", 4, false)]
    [TestCase(">", 2, true)]
    [TestCase(">", 3, false)]
    [TestCase("<=", 3, true)]
    [TestCase("<", 3, false)]
    [TestCase("==", 3, true)]
    [TestCase("==", 2, false)]
    public void HistoryCondition_Operators_CompareTheNamedCount(string op, int value, bool holds)
    {
        var (condition, error) = HistoryCondition.Parse($"open_tickets {op} {value}");

        Assert.That(error, Is.Null);
        Assert.That(condition!.Holds(new HistoryCounts(0, 0, 3, 0)), Is.EqualTo(holds));
        Assert.That(condition.ToString(), Is.EqualTo($"open_tickets {op} {value}"));
    }
}
