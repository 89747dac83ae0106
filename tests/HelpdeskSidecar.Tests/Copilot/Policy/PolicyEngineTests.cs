using HelpdeskSidecar.Copilot.Policy;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

public class PolicyEngineTests
{
    private static readonly CompiledPolicy Policy = PolicyLoader.Parse("p.yaml", """
        version: 1
        rules:
          - name: legal-threat
            match:
              keywords: ["sue", "my lawyer", "legal action"]
            escalate: "Legal threat."
          - name: angry-urgent
            match:
              sentiment: [negative]
              urgency: [high]
            escalate: "Angry and urgent."
          - name: billing-agents
            match:
              intent: [billing]
              channel: [email]
            tiers: [article, internal]
            visibility: agents
            actions: [summary]
            mode: shadow
        """).Policy!;

    private static PolicyInput Input(string text, string? intent = null, string? channel = null, string? sentiment = "neutral", string? urgency = "low") =>
        new(intent, [], channel, null, "en", sentiment, urgency, text);

    [TestCase("I will sue you for this.")]
    [TestCase("My  lawyer will call.")]
    [TestCase("We are considering LEGAL ACTION.")]
    public void Decide_LegalWords_EscalatesWithTheRuleAndReason(string text)
    {
        var decision = PolicyEngine.Decide(Policy, "p.yaml", Input(text));

        Assert.That(decision.Rule, Is.EqualTo("legal-threat"));
        Assert.That(decision.Escalate, Is.True);
        Assert.That(decision.EscalationReason, Is.EqualTo("Legal threat."));
        Assert.That(decision.Matched.Single(), Does.StartWith("keyword:"));
        Assert.That(decision.Source, Is.EqualTo("p.yaml"));
    }

    [Test]
    public void Decide_KeywordInsideAnotherWord_DoesNotMatch()
    {
        var decision = PolicyEngine.Decide(Policy, "p.yaml", Input("The pursuit of a refund, issued on Tuesday."));

        Assert.That(decision.Rule, Is.EqualTo(PolicyEngine.DefaultRule));
        Assert.That(decision.Escalate, Is.False);
    }

    [Test]
    public void Decide_AllCriteriaMustHold()
    {
        Assert.That(PolicyEngine.Decide(Policy, "p", Input("x", sentiment: "negative", urgency: "low")).Rule, Is.EqualTo("default"));
        Assert.That(PolicyEngine.Decide(Policy, "p", Input("x", sentiment: "negative", urgency: "high")).Rule, Is.EqualTo("angry-urgent"));
        Assert.That(PolicyEngine.Decide(Policy, "p", Input("x", intent: "billing", channel: "web")).Rule, Is.EqualTo("default"));
    }

    [Test]
    public void Decide_FirstMatchingRuleWins()
    {
        var decision = PolicyEngine.Decide(Policy, "p", Input("I will sue", sentiment: "negative", urgency: "high"));

        Assert.That(decision.Rule, Is.EqualTo("legal-threat"));
    }

    [Test]
    public void Decide_ModeSetBy_ARulesOwnModeNamesTheRule_AnInheritedDefaultsModeDoesNot()
    {
        var policy = PolicyLoader.Parse("p.yaml", """
            version: 1
            defaults:
              mode: live
            rules:
              - name: unhappy
                match: { keywords: ["furious"] }
                mode: shadow
              - name: billing
                match: { keywords: ["invoice"] }
                actions: [summary]
            """).Policy!;

        var own = PolicyEngine.Decide(policy, "p", Input("I am furious"));
        var inherited = PolicyEngine.Decide(policy, "p", Input("my invoice"));
        var none = PolicyEngine.Decide(policy, "p", Input("hello"));

        Assert.That((own.Mode, own.ModeSetBy), Is.EqualTo(("shadow", "rule:unhappy")));
        Assert.That((inherited.Mode, inherited.ModeSetBy), Is.EqualTo(("live", "policy defaults")));
        Assert.That((none.Rule, none.Mode, none.ModeSetBy), Is.EqualTo(("default", "live", "policy defaults")));
    }

    [Test]
    public void Decide_RuleOutcome_SetsScopeActionsAndMode()
    {
        var decision = PolicyEngine.Decide(Policy, "p", Input("invoice", intent: "billing", channel: "email"));

        Assert.That(decision.Rule, Is.EqualTo("billing-agents"));
        Assert.That(decision.Tiers, Is.EqualTo(new[] { "article", "internal" }));
        Assert.That(decision.Visibility, Is.EqualTo("agents"));
        Assert.That(decision.Allows(PolicyActions.Draft), Is.False);
        Assert.That(decision.Mode, Is.EqualTo("shadow"));
        var scope = decision.Scope(new HelpdeskSidecar.Knowledge.RetrievalScope());
        Assert.That(scope.Tiers, Is.EqualTo(new[] { HelpdeskSidecar.Knowledge.KnowledgeTier.Article, HelpdeskSidecar.Knowledge.KnowledgeTier.Internal }));
        Assert.That(scope.Visibility, Is.EqualTo(HelpdeskSidecar.Knowledge.KnowledgeVisibility.Agents));
    }

    [Test]
    public void Decide_BuiltInPolicy_DraftsEverythingFromPublicArticlesOnly()
    {
        var decision = PolicyEngine.Decide(CompiledPolicy.BuiltIn, PolicyProvider.BuiltInSource, Input("I will sue you"));

        Assert.That(decision.Rule, Is.EqualTo("default"));
        Assert.That(decision.Escalate, Is.False);
        Assert.That(decision.Tiers, Is.EqualTo(new[] { "faq", "article" }));
        Assert.That(decision.Visibility, Is.EqualTo("public"));
        Assert.That(decision.Actions, Is.EqualTo(new[] { "draft", "summary", "tags" }));
    }
}
