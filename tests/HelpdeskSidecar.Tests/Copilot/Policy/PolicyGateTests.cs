using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Suggestions.Tagging;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

public class PolicyGateTests
{
    private static readonly IReadOnlyList<TagDecision> Tags =
    [
        new("refund", "tag", 0.9, "auto", 0.5, TagDecision.Apply),
        new("shipping", "tag", 0.7, "suggest", 0.5, TagDecision.SuggestOnly),
    ];

    private static PolicyDecision Decision(params string[] actions) => new() { Rule = "r", Source = "s", Visibility = "public", Actions = actions };

    [Test]
    public void Tags_InjectionFlagged_NothingAppliedAutomatically()
    {
        var gated = PolicyGate.Tags(Tags, Decision("draft", "tags"), ["ignore-instructions"]);

        Assert.That(gated.Select(t => t.Action), Is.All.EqualTo(TagDecision.SuggestOnly));
        Assert.That(gated.Select(t => t.Tag), Is.EqualTo(new[] { "refund", "shipping" }));
    }

    [Test]
    public void Tags_NotFlagged_Unchanged()
    {
        Assert.That(PolicyGate.Tags(Tags, Decision("draft", "tags"), []), Is.EqualTo(Tags));
    }

    [Test]
    public void Tags_PolicyWithoutTagsAction_NoTagDecisions()
    {
        Assert.That(PolicyGate.Tags(Tags, Decision("draft"), []), Is.Empty);
    }

    [Test]
    public void Mode_RuleOverride_WinsOverConfiguration()
    {
        Assert.That(PolicyGate.Mode(Decision() with { Mode = "shadow" }, HelpdeskSidecar.Configuration.SidecarMode.Live), Is.EqualTo(HelpdeskSidecar.Configuration.SidecarMode.Shadow));
        Assert.That(PolicyGate.Mode(Decision(), HelpdeskSidecar.Configuration.SidecarMode.Live), Is.EqualTo(HelpdeskSidecar.Configuration.SidecarMode.Live));
    }

    private static readonly HelpdeskSidecar.Settings.ModeOverrides Overrides = new(
        new Dictionary<string, SidecarMode>(StringComparer.OrdinalIgnoreCase) { ["7001"] = SidecarMode.Live },
        new Dictionary<string, SidecarMode>(StringComparer.OrdinalIgnoreCase) { ["refund_status"] = SidecarMode.Shadow });

    // Precedence: a rule's own mode, the intent override, the brand override, the policy defaults, Sidecar:Mode.
    [TestCase("shadow", "rule:unhappy", "refund_status", "7001", SidecarMode.Live, SidecarMode.Shadow, "rule:unhappy")]
    [TestCase("live", "rule:vip", "refund_status", "7001", SidecarMode.Shadow, SidecarMode.Live, "rule:vip")]
    [TestCase(null, null, "refund_status", "7001", SidecarMode.Live, SidecarMode.Shadow, "intent override:refund_status")]
    [TestCase(null, null, "REFUND_STATUS", null, SidecarMode.Live, SidecarMode.Shadow, "intent override:REFUND_STATUS")]
    [TestCase(null, null, "login_problem", "7001", SidecarMode.Shadow, SidecarMode.Live, "brand override:7001")]
    [TestCase("shadow", "policy defaults", "login_problem", "7001", SidecarMode.Shadow, SidecarMode.Live, "brand override:7001")]
    [TestCase("live", "policy defaults", "login_problem", "7002", SidecarMode.Shadow, SidecarMode.Live, "policy defaults")]
    [TestCase(null, null, null, null, SidecarMode.Shadow, SidecarMode.Shadow, "Sidecar:Mode")]
    public void Mode_Precedence_RuleThenIntentThenBrandThenDefaultsThenConfiguration(
        string? policyMode, string? policySetBy, string? intent, string? brand, SidecarMode configured, SidecarMode expected, string setBy)
    {
        var (mode, decision) = PolicyGate.Mode(Decision() with { Mode = policyMode, ModeSetBy = policySetBy }, intent, brand, Overrides, configured);

        Assert.That(mode, Is.EqualTo(expected));
        Assert.That(decision.Mode, Is.EqualTo(expected.ToString().ToLowerInvariant()));
        Assert.That(decision.ModeSetBy, Is.EqualTo(setBy));
    }
}
