using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

public class PolicyLoaderTests
{
    private const string Valid = """
        version: 1
        defaults:
          tiers: [faq, article]
          visibility: public
          actions: [draft, summary, tags]
        rules:
          - name: legal-threat
            match:
              keywords: ["sue", "lawyer"]
            escalate: "Legal threat."
          - name: internal-billing
            match:
              intent: [billing]
            tiers: [article, past_ticket, internal]
            visibility: agents
            mode: live
        guardrails:
          banned_phrases: ["guaranteed refund"]
        """;

    [TestCase("version: 1\nrules: 5\n", 2, "'rules' must be a list.")]
    [TestCase("version: 1\ndefaults: [faq]\n", 2, "'defaults' must be a mapping (key: value lines).")]
    [TestCase("version: 1\nrules:\n  - name: x\n    match: 7\n", 4, "'rules[0].match' must be a mapping (key: value lines).")]
    [TestCase("version: [1]\n", 1, "'version' must be a single value.")]
    public void Parse_ValueOfTheWrongShape_NamesTheKeyAndTheShape_NotOurTypes(string yaml, long line, string message)
    {
        var error = PolicyLoader.Parse("policy.yaml", yaml).Errors.Single();

        Assert.That((error.Line, error.Message), Is.EqualTo((line, message)));
    }

    [Test, CancelAfter(60_000)]
    public void Parse_AliasBomb_RefusedAtTheFirstAnchorQuickly_NothingExpanded()
    {
        var bomb = YamlBomb.Policy(levels: 9);

        var (result, allocated) = YamlBomb.Within(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var parsed = PolicyLoader.Parse("policy.yaml", bomb);
            return (parsed, GC.GetAllocatedBytesForCurrentThread() - before);
        });

        Assert.That(result.Policy, Is.Null);
        var error = result.Errors.Single();
        Assert.That((error.Line, error.Column), Is.EqualTo((2L, 4L)), "the first anchor, a: &a");
        Assert.That(error.Message, Does.StartWith("Anchors and aliases (&name / *name"));
        Assert.That(allocated, Is.LessThan(5_000_000), "bytes allocated: a six-level expansion alone takes hundreds of MB");
    }

    [TestCase("version: 1\nbase: &b { tiers: [faq] }\ndefaults:\n  <<: *b\nrules: []\n", 2L)]
    [TestCase("version: 1\nrules:\n  - name: r1\n    match: { keywords: [refund] }\n    escalate: x\n  - name: r2\n    match: *m\n    escalate: y\n", 7L)]
    [TestCase("version: 1\nrules:\n  - name: &n r1\n    match: { keywords: [refund] }\n", 3L)]
    public void Parse_AnyAnchorOrAlias_RefusedWithItsLine(string yaml, long line)
    {
        var result = PolicyLoader.Parse("policy.yaml", yaml);

        Assert.That(result.Policy, Is.Null);
        Assert.That((result.Errors.Single().Line, result.Errors.Single().Message), Is.EqualTo((line, PolicyLoader.AliasesNotAllowed)));
    }

    [Test]
    public void Parse_TextOver256KB_RefusedBeforeParsing()
    {
        var yaml = "version: 1\nrules: []\n" + string.Concat(Enumerable.Repeat("# a comment line that pads the file out\n", 7000));

        var result = PolicyLoader.Parse("policy.yaml", yaml);

        Assert.That(yaml.Length, Is.GreaterThan(PolicyLoader.MaxBytes));
        Assert.That(result.Policy, Is.Null);
        Assert.That(result.Errors.Single().Message, Is.EqualTo("The policy is larger than 256 KB."));
    }

    [Test]
    public void Parse_UnknownTopLevelKey_NamesTheKeyAndTheKnownKeys_NotOurTypes()
    {
        var error = PolicyLoader.Parse("policy.yaml", "version: 1\nrulez: []\n").Errors.Single();

        Assert.That((error.Line, error.Column), Is.EqualTo((2L, 1L)));
        Assert.That(error.Message, Is.EqualTo("Unknown key 'rulez'; the keys allowed here are version, defaults, rules, segments, guardrails, routing."));
    }

    [TestCase("version: 1\nrules:\n  - name: r\n    match: { keywordz: [x] }\n", 4L, "'keywordz' under 'rules[0].match'", "keywords")]
    [TestCase("version: 1\nsegments:\n  vip:\n    user_tagz: [x]\n", 4L, "'user_tagz' under 'segments.vip'", "user_tags")]
    [TestCase("version: 1\nguardrails:\n  banned: [x]\n", 3L, "'banned' under 'guardrails'", "banned_phrases")]
    public void Parse_UnknownNestedKey_NamesWhereItIsAndWhatIsAllowed(string yaml, long line, string where, string allowed)
    {
        var error = PolicyLoader.Parse("policy.yaml", yaml).Errors.Single();

        Assert.That(error.Line, Is.EqualTo(line));
        Assert.That(error.Message, Does.StartWith($"Unknown key {where}; the keys allowed here are ").And.Contain(allowed));
        Assert.That(error.Message, Does.Not.Contain("HelpdeskSidecar").And.Not.Contain("Spec").And.Not.Contain("is_empty"));
    }

    [TestCase("version: 99999999999999999999999999999999\nrules: []\n")]
    [TestCase("version: 99999999999\n")]
    [TestCase("version: -99999999999999999999\n")]
    [TestCase("version: abc\n")]
    [TestCase("version: 1.5\n")]
    public void Parse_VersionNotAWholeNumber_SaysSo_NotTheDotNetException(string yaml)
    {
        var error = PolicyLoader.Parse("policy.yaml", yaml).Errors.Single();

        Assert.That((error.Line, error.Message), Is.EqualTo((1L, "'version' must be a whole number like 1.")));
    }

    [TestCase("version: 1\nrules:\n\t- name: r\n\t  escalate: x\n", 3L, 1L)]
    [TestCase("version: 1\nrules:\n  - name: r\n\tmatch: { keywords: [x] }\n", 4L, 1L)]
    [TestCase("version: 1\nrules:\n  - name: r\n  \t match: { keywords: [x] }\n", 4L, 3L)]
    public void Parse_TabIndentation_PointsAtTheTabbedLine(string yaml, long line, long column)
    {
        var error = PolicyLoader.Parse("policy.yaml", yaml).Errors.Single();

        Assert.That((error.Line, error.Column, error.Message), Is.EqualTo((line, column, "Tabs cannot indent YAML; indent with spaces.")));
    }

    [TestCase("- defaults\n- rules\n", "a list")]
    [TestCase("just some words", "a single value")]
    public void Parse_DocumentNotAMapping_SaysSoWithoutTypeNames(string yaml, string what)
    {
        var error = PolicyLoader.Parse("policy.yaml", yaml).Errors.Single();

        Assert.That(error.Message, Does.StartWith("The policy must be a YAML mapping (keys like version:, defaults:, rules:)").And.EndWith($"not {what}."));
        Assert.That((error.Line, error.Column), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public void Parse_ValidFile_CompilesRulesInOrderWithDefaultsAndOverrides()
    {
        var result = PolicyLoader.Parse("policy.yaml", Valid);

        Assert.That(result.Errors, Is.Empty);
        var policy = result.Policy!;
        Assert.That(policy.Rules.Select(r => r.Name), Is.EqualTo(new[] { "legal-threat", "internal-billing" }));
        Assert.That(policy.Rules[0].Escalate, Is.EqualTo("Legal threat."));
        Assert.That(policy.Rules[0].Outcome.Tiers, Is.EqualTo(new[] { KnowledgeTier.Faq, KnowledgeTier.Article }), "unset fields fall back to the defaults");
        Assert.That(policy.Rules[1].Outcome.Tiers, Is.EqualTo(new[] { KnowledgeTier.Article, KnowledgeTier.PastTicket, KnowledgeTier.Internal }));
        Assert.That(policy.Rules[1].Outcome.Visibility, Is.EqualTo(KnowledgeVisibility.Agents));
        Assert.That(policy.Rules[1].Outcome.Mode, Is.EqualTo(HelpdeskSidecar.Configuration.SidecarMode.Live));
        Assert.That(policy.BannedPhrases, Is.EqualTo(new[] { "guaranteed refund" }));
    }

    [Test]
    public void Parse_UnknownTier_RejectedWithTheLineOfTheValue()
    {
        var yaml = Valid.Replace("tiers: [article, past_ticket, internal]", "tiers: [article, secret_stash]", StringComparison.Ordinal);

        var result = PolicyLoader.Parse("policy.yaml", yaml);

        Assert.That(result.Policy, Is.Null);
        var error = result.Errors.Single();
        Assert.That(error.File, Is.EqualTo("policy.yaml"));
        Assert.That(error.Line, Is.EqualTo(14), error.ToString());
        Assert.That(error.Message, Does.Contain("secret_stash").And.Contain("rules[1].tiers[1]"));
    }

    [Test]
    public void Parse_RuleWithoutMatch_RejectedWithTheLineOfTheRule()
    {
        const string yaml = """
            version: 1
            rules:
              - name: everything
                escalate: "Always."
            """;

        var result = PolicyLoader.Parse("p.yaml", yaml);

        Assert.That(result.Policy, Is.Null);
        Assert.That(result.Errors.Single().Message, Does.Contain("must match on something"));
        Assert.That(result.Errors.Single().Line, Is.EqualTo(3));
    }

    [Test]
    public void Parse_UnknownKey_RejectedWithItsLine()
    {
        var yaml = Valid.Replace("    visibility: agents", "    visibilty: agents", StringComparison.Ordinal);

        var result = PolicyLoader.Parse("p.yaml", yaml);

        Assert.That(result.Policy, Is.Null);
        Assert.That(result.Errors.Single().Line, Is.EqualTo(15), result.Errors.Single().ToString());
        Assert.That(result.Errors.Single().Message, Does.Contain("visibilty"));
    }

    [Test]
    public void Parse_BrokenYaml_RejectedWithItsLine()
    {
        const string yaml = "version: 1\nrules:\n  - name: a\n    match: { keywords: [\"x\"\n";

        var result = PolicyLoader.Parse("p.yaml", yaml);

        Assert.That(result.Policy, Is.Null);
        Assert.That(result.Errors.Single().Line, Is.GreaterThanOrEqualTo(4));
    }

    [TestCase("version: 1\nrules:\n  - name: a\n    match:\n      keywords: [\"a\", \"b\"\n    escalate: \"Legal.\"\n", 5L, 17L, "'['")]
    [TestCase("version: 1\nrules:\n  - name: a\n    match: { intent: [billing]\n    escalate: \"Legal.\"\n", 4L, 12L, "'{'")]
    public void Parse_UnclosedBracketBeforeMoreLines_PointsAtTheOpeningBracket(string yaml, long line, long column, string bracket)
    {
        var error = PolicyLoader.Parse("p.yaml", yaml).Errors.Single();

        Assert.That((error.Line, error.Column), Is.EqualTo((line, column)), error.ToString());
        Assert.That(error.Message, Does.StartWith($"This {bracket} is never closed"));
    }

    // QA #1: an unclosed flow sequence followed by more lines made the parser throw past its catch (a 500 on every path).
    [TestCase("version: 1\nrules:\n  - name: a\n    match:\n      keywords: [\"a\", \"b\"\n    escalate: \"Legal.\"\n  - name: b\n    match:\n      intent: [billing]\n")]
    [TestCase("version: 1\nrules:\n  - name: a\n    match: { intent: [billing]\n    escalate: \"Legal.\"\n")]
    [TestCase("version: 1\nrules:\n  - name: \"a\n    match:\n      intent: [billing]\n")]
    [TestCase("version: 1\nrules:\n  - name: a\n    match:\n      intent: [billing]\n   escalate: \"x\"\n")]
    [TestCase("version: 1\nrules:\n  - name: a\n  match:\n      intent: [billing]\n")]
    [TestCase("version: 1\ndefaults:\n  tiers: [faq\nrules: []\n")]
    [TestCase("version: 1\nrules: [\n")]
    [TestCase("version: 1\nrules:\n  - name: a\n    match: {intent: [billing]}}\n")]
    [TestCase("version: 1\nrules:\n  - name: 'a\n")]
    [TestCase("version: 1\n: x\n")]
    public void Parse_MalformedYaml_RejectedWithAPositionedError_NeverThrows(string yaml)
    {
        var result = PolicyLoader.Parse("p.yaml", yaml);

        Assert.That(result.Policy, Is.Null);
        var error = result.Errors.Single();
        Assert.That((error.File, error.Line >= 1, error.Column >= 1), Is.EqualTo(("p.yaml", true, true)), error.ToString());
        Assert.That(error.Line, Is.LessThanOrEqualTo(yaml.Split('\n').Length), error.ToString());
        Assert.That(error.Message, Is.Not.Empty.And.Not.Contain("HelpdeskSidecar."), error.ToString());
    }

    [Test]
    public void Parse_UnknownIntentsWithKnownLabels_WarnsPerValue_KnownOnesAndOtherCaseNot()
    {
        const string yaml = "version: 1\nrules:\n  - name: a\n    match:\n      intent: [Billing, refnd]\n  - name: b\n    match:\n      intent:\n        - shipping\n        - billing\n";

        var result = PolicyLoader.Parse("p.yaml", yaml, ["billing", "refund"]);

        Assert.That(result.Policy, Is.Not.Null);
        Assert.That(result.Warnings.Select(w => (w.Line, w.Column)), Is.EqualTo(new[] { (5L, 25L), (9L, 11L) }));
        Assert.That(result.Warnings[0].Message, Does.StartWith("Rule 'a' matches intent 'refnd', which the classifier does not know").And.EndWith("known intents: billing, refund."));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Parse_UnknownIntentsWithoutLabels_NoWarnings(bool emptyList)
    {
        string[]? known = emptyList ? [] : null;
        var result = PolicyLoader.Parse("p.yaml", "version: 1\nrules:\n  - name: a\n    match:\n      intent: [refnd]\n", known);

        Assert.That((result.Policy is not null, result.Warnings.Count), Is.EqualTo((true, 0)));
    }

    [Test]
    public void Parse_BadSentimentAndDuplicateNames_ReportsEachError()
    {
        const string yaml = """
            version: 1
            rules:
              - name: a
                match:
                  sentiment: [furious]
              - name: a
                match:
                  keywords: [x]
            """;

        var result = PolicyLoader.Parse("p.yaml", yaml);

        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("furious"));
        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("unique"));
        Assert.That(result.Errors.First(e => e.Message.Contains("furious", StringComparison.Ordinal)).Line, Is.EqualTo(5));
    }

    [Test]
    public void Parse_SamplePolicy_IsValidAndCoversTheEscalations()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HelpdeskSidecar.sln")))
            dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "the repository root");
        var path = Path.Combine(dir!.FullName, "samples", "policy.yaml");

        var result = PolicyLoader.Parse(path, File.ReadAllText(path));

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        var escalating = result.Policy!.Rules.Where(r => r.Escalate is not null).Select(r => r.Name).ToList();
        Assert.That(escalating, Is.SupersetOf(new[] { "legal-threat", "wants-a-human", "chargeback", "bereavement", "angry-customer" }));
    }
}
