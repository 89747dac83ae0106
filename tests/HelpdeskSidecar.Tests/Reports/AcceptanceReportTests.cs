using HelpdeskSidecar.Reports;

namespace HelpdeskSidecar.Tests.Reports;

/// <summary>The report's arithmetic on facts built here: counts, acceptance rate, median, groupings.</summary>
public class AcceptanceReportTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero); // ISO week 2026-W10

    private static AcceptanceFact Fact(string? verdict, double? similarity, string? intent = "refund", string[]? tags = null, string? agent = null, string? brand = null, int days = 0) =>
        new(Guid.NewGuid().ToString("N"), Monday.AddDays(days), verdict, similarity, intent, tags ?? [], agent, brand);

    [Test]
    public void Build_ByIntent_CountsVerdictsRateAndMedianPerGroupAndInTotal()
    {
        AcceptanceFact[] facts =
        [
            Fact("sent_as_is", 0.95), Fact("edited", 0.5), Fact("rejected", 0.1), Fact("no_reply", null), Fact(null, null),
            Fact("rejected", 0.2, intent: "login"), Fact("no_reply", null, intent: "login"),
        ];
        var report = AcceptanceReport.Build(facts, null, null, "intent");

        Assert.That(report.Groups.Select(g => g.Key), Is.EqualTo(new[] { "login", "refund" }));
        var refund = report.Groups[1];
        Assert.That((refund.Suggestions, refund.SentAsIs, refund.Edited, refund.Rejected, refund.NoReply, refund.Pending), Is.EqualTo((4, 1, 1, 1, 1, 1)));
        Assert.That(refund.AcceptanceRate, Is.EqualTo(0.6667), "(1 + 1) / (4 - 1)");
        Assert.That(refund.MedianSimilarity, Is.EqualTo(0.5), "median of 0.1, 0.5, 0.95; no_reply has none");
        var login = report.Groups[0];
        Assert.That(login.AcceptanceRate, Is.EqualTo(0.0));
        Assert.That(report.Total.Suggestions, Is.EqualTo(6));
        Assert.That(report.Total.AcceptanceRate, Is.EqualTo(0.5), "(1 + 1) / (6 - 2)");
        Assert.That(report.Total.MedianSimilarity, Is.EqualTo(0.35), "median of 0.1, 0.2, 0.5, 0.95");
    }

    [Test]
    public void Group_OnlyNoReplyOrPending_RateAndMedianAreNull()
    {
        var group = AcceptanceReport.Group("x", [Fact("no_reply", null), Fact(null, null)]);
        Assert.That(group.AcceptanceRate, Is.Null);
        Assert.That(group.MedianSimilarity, Is.Null);
        Assert.That((group.Suggestions, group.NoReply, group.Pending), Is.EqualTo((1, 1, 1)));
    }

    [Test]
    public void Group_SupersededDraft_CountedNeitherAsPendingNorNoReplyNorInTheRate()
    {
        var group = AcceptanceReport.Group("x", [Fact("superseded", null), Fact("edited", 0.5), Fact(null, null)]);

        Assert.That((group.Suggestions, group.Edited, group.NoReply, group.Pending), Is.EqualTo((1, 1, 0, 1)));
        Assert.That(group.AcceptanceRate, Is.EqualTo(1.0), "1 edited / 1 answered; the superseded draft was never in play");
    }

    [Test]
    public void Build_ByTag_CountsASuggestionUnderEachOfItsTags()
    {
        var report = AcceptanceReport.Build([Fact("edited", 0.4, tags: ["refund", "returns"]), Fact("rejected", 0.1, tags: ["refund"]), Fact("edited", 0.6)], null, null, "tag");
        var byKey = report.Groups.ToDictionary(g => g.Key);
        Assert.That(byKey["refund"].Suggestions, Is.EqualTo(2));
        Assert.That(byKey["returns"].Suggestions, Is.EqualTo(1));
        Assert.That(byKey["(none)"].Suggestions, Is.EqualTo(1));
        Assert.That(report.Total.Suggestions, Is.EqualTo(3), "the total counts each suggestion once");
    }

    [Test]
    public void Build_ByWeekAgentBrand_UsesIsoWeeksAndNoneForMissing()
    {
        AcceptanceFact[] facts = [Fact("edited", 0.4, agent: "456", brand: "b1"), Fact("edited", 0.4, days: 6), Fact("edited", 0.4, days: 7)];
        Assert.That(AcceptanceReport.Build(facts, null, null, "week").Groups.Select(g => (g.Key, g.Suggestions)),
            Is.EqualTo(new[] { ("2026-W10", 2), ("2026-W11", 1) }));
        Assert.That(AcceptanceReport.Build(facts, null, null, "agent").Groups.Select(g => g.Key), Is.EqualTo(new[] { "(none)", "456" }));
        Assert.That(AcceptanceReport.Build(facts, null, null, "brand").Groups.Select(g => g.Key), Is.EqualTo(new[] { "(none)", "b1" }));
    }

    [Test]
    public void ToCsv_HeaderRowsAndTotal_EscapesKeys()
    {
        var csv = AcceptanceReport.Build([Fact("sent_as_is", 1.0, intent: "a,b"), Fact("rejected", 0.0, intent: "c")], new DateOnly(2026, 3, 1), null, "intent").ToCsv();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(new[]
        {
            "key,suggestions,sent_as_is,edited,rejected,no_reply,pending,acceptance_rate,median_similarity,inserted,inserted_sent_as_is,inserted_edited,drafts,insertion_rate",
            "\"a,b\",1,1,0,0,0,0,1,1,0,0,0,1,0",
            "c,1,0,0,1,0,0,0,0,0,0,0,1,0",
            "(total),2,1,0,1,0,0,0.5,0.5,0,0,0,2,0",
        }));
    }

    [Test]
    public void Build_CountsInsertedDrafts_AndWhatBecameOfThem()
    {
        AcceptanceFact Inserted(string? verdict) => Fact(verdict, 0.5) with { Inserted = true };
        var facts = new[] { Inserted("sent_as_is"), Inserted("edited"), Inserted("edited"), Inserted("rejected"), Inserted(null), Fact("sent_as_is", 1.0) };

        var total = AcceptanceReport.Build(facts, null, null, "intent").Total;

        Assert.That((total.Inserted, total.InsertedSentAsIs, total.InsertedEdited), Is.EqualTo((5, 1, 2)));
    }

    [TestCase("2026-13-01", null, null, "json", "'from'")]
    [TestCase(null, "yesterday", null, "json", "'to'")]
    [TestCase("2026-03-02", "2026-03-01", null, "json", "'to' must not be before")]
    [TestCase(null, null, "moon", "json", "'by'")]
    [TestCase(null, null, null, "xml", "'format'")]
    public void Parse_BadParameter_NamesIt(string? from, string? to, string? by, string? format, string expected)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, ["json", "csv"]);
        Assert.That(request, Is.Null);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void Parse_Defaults_IntentAndFirstFormat()
    {
        var (request, _) = ReportRequest.Parse(null, "2026-03-31", null, null, ["table", "csv", "json"]);
        Assert.That(request, Is.EqualTo(new ReportRequest(null, new DateOnly(2026, 3, 31), "intent", "table")));
    }
}
