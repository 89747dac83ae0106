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
}
