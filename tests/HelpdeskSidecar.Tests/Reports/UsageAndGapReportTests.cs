using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Tests.Reports;

/// <summary>The gap, usage and overview arithmetic on facts built here.</summary>
public class UsageAndGapReportTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static SuggestionFact Fact(
        SuggestionKind kind = SuggestionKind.Draft, string? intent = "refund", double? ms = 10, string? model = null, int tokensIn = 0, int tokensOut = 0,
        decimal cost = 0, string? question = null, string? verdict = null, int minutes = 0) =>
        new(Guid.NewGuid().ToString("N"), Monday.AddMinutes(minutes), kind.ToString(), verdict, null, intent, ms, model,
            model is null ? 0 : 1, tokensIn, tokensOut, cost, question);

    [Test]
    public void Percentile_NearestRank()
    {
        var values = Enumerable.Range(1, 20).Select(i => (double)i).ToList();
        Assert.That(UsageReport.Percentile(values, 0.50), Is.EqualTo(10));
        Assert.That(UsageReport.Percentile(values, 0.95), Is.EqualTo(19));
        Assert.That(UsageReport.Percentile([7.5], 0.95), Is.EqualTo(7.5));
        Assert.That(UsageReport.Percentile([], 0.5), Is.Null);
    }

    [Test]
    public void Usage_ByModel_OfflineForNoModel_SumsTokensAndCost()
    {
        SuggestionFact[] facts =
        [
            Fact(model: "gpt-4o-mini", tokensIn: 1000, tokensOut: 200, cost: 0.0012m, ms: 800),
            Fact(model: "gpt-4o-mini", tokensIn: 500, tokensOut: 100, cost: 0.0006m, ms: 1200, intent: "login"),
            Fact(ms: 5), Fact(kind: SuggestionKind.KnowledgeGap, ms: 7, intent: null),
        ];
        var byModel = UsageReport.Build(facts, null, null, "model");
        Assert.That(byModel.Groups.Select(g => (g.Key, g.Suggestions, g.ModelCalls, g.InputTokens, g.OutputTokens, g.CostUsd)), Is.EqualTo(new[]
        {
            ("gpt-4o-mini", 2, 2, 1500L, 300L, 0.0018m),
            ("offline", 2, 0, 0L, 0L, 0m),
        }));
        Assert.That(byModel.Groups[0].LatencyP50Ms, Is.EqualTo(800));
        Assert.That(byModel.Groups[0].LatencyP95Ms, Is.EqualTo(1200));
        Assert.That(byModel.Total.Suggestions, Is.EqualTo(4));
        Assert.That(byModel.Total.LatencyP50Ms, Is.EqualTo(7), "nearest rank of 5, 7, 800, 1200");

        var byIntent = UsageReport.Build(facts, null, null, "intent");
        Assert.That(byIntent.Groups.Select(g => (g.Key, g.InputTokens)), Is.EqualTo(new[] { ("(none)", 0L), ("login", 500L), ("refund", 1000L) }));
        Assert.That(byIntent.ToCsv().Split("\r\n")[0], Is.EqualTo("key,suggestions,model_calls,input_tokens,output_tokens,cost_usd,latency_p50_ms,latency_p95_ms"));
        Assert.That(byIntent.ToCsv(), Does.Contain("\r\n(total),4,2,1500,300,0.0018,7,1200\r\n"));
    }

    [Test]
    public void Gaps_ByIntent_MostGapsFirst_NewestDistinctExamplesUpToN_RateOverAllSuggestions()
    {
        SuggestionFact[] facts =
        [
            Fact(SuggestionKind.KnowledgeGap, "partnership", question: "Can we partner?", minutes: 1),
            Fact(SuggestionKind.KnowledgeGap, "partnership", question: "can we PARTNER?", minutes: 2),
            Fact(SuggestionKind.KnowledgeGap, "partnership", question: "Do you hire drivers?", minutes: 3),
            Fact(SuggestionKind.KnowledgeGap, "partnership", question: "Wholesale rates for [EMAIL_1]?", minutes: 4),
            Fact(SuggestionKind.Draft, "partnership"),
            Fact(SuggestionKind.KnowledgeGap, "refund", question: null),
            Fact(SuggestionKind.Draft, "refund"), Fact(SuggestionKind.Draft, "refund"), Fact(SuggestionKind.Draft, "refund"),
            Fact(SuggestionKind.Draft, "login"),
        ];
        var report = GapsReport.Build(facts, new DateOnly(2026, 3, 1), null, 2);

        Assert.That(report.Groups.Select(g => (g.Intent, g.Gaps, g.Suggestions, g.GapRate)), Is.EqualTo(new[]
        {
            ("partnership", 4, 5, (double?)0.8),
            ("refund", 1, 4, (double?)0.25),
        }), "intents without gaps are left out");
        Assert.That(report.Groups[0].Examples, Is.EqualTo(new[] { "Wholesale rates for [EMAIL_1]?", "Do you hire drivers?" }));
        Assert.That(report.Groups[1].Examples, Is.Empty);
        Assert.That((report.Total.Gaps, report.Total.Suggestions, report.Total.GapRate), Is.EqualTo((5, 10, (double?)0.5)));
        Assert.That(report.From, Is.EqualTo("2026-03-01"));

        var csv = report.ToCsv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(csv[0], Is.EqualTo("intent,gaps,suggestions,gap_rate,examples"));
        Assert.That(csv[1], Is.EqualTo("partnership,4,5,0.8,Wholesale rates for [EMAIL_1]? | Do you hire drivers?"));
        Assert.That(csv[^1], Is.EqualTo("(total),5,10,0.5,"));
    }

    [Test]
    public void OverviewWindow_CountsKindsAcceptanceLatencyAndCost()
    {
        SuggestionFact[] facts =
        [
            Fact(verdict: "sent_as_is", model: "m", tokensIn: 10, tokensOut: 5, cost: 0.5m, ms: 100),
            Fact(verdict: "rejected", ms: 200), Fact(verdict: null, ms: 300),
            Fact(SuggestionKind.KnowledgeGap, ms: 400), Fact(SuggestionKind.Escalation, ms: 500), Fact(SuggestionKind.Withheld, ms: 600),
        ];
        var w = OverviewQuery.Window(facts, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 8));
        Assert.That((w.From, w.To), Is.EqualTo(("2026-03-02", "2026-03-08")));
        Assert.That((w.Suggestions, w.Drafts, w.KnowledgeGaps, w.Escalations, w.Withheld, w.Pending), Is.EqualTo((6, 3, 1, 1, 1, 1)));
        Assert.That(w.AcceptanceRate, Is.EqualTo(0.5));
        Assert.That((w.LatencyP50Ms, w.LatencyP95Ms), Is.EqualTo(((double?)300, (double?)600)));
        Assert.That((w.ModelCalls, w.InputTokens, w.OutputTokens, w.CostUsd), Is.EqualTo((1, 10L, 5L, 0.5m)));
    }

    [TestCase("The  customer\nwrites\tthis.", "The customer writes this.")]
    public void QuestionExcerpt_CollapsesWhitespace(string text, string expected) =>
        Assert.That(QuestionExcerpt.Shorten(text), Is.EqualTo(expected));

    [Test]
    public void QuestionExcerpt_LongText_CutAtAWordWithinTheLimit()
    {
        var text = string.Join(' ', Enumerable.Repeat("parcel", 60));
        var excerpt = QuestionExcerpt.Shorten(text);
        Assert.That(excerpt.Length, Is.LessThanOrEqualTo(QuestionExcerpt.MaxLength + 1));
        Assert.That(excerpt, Does.EndWith("parcel…"));
    }
}
