using System.Text.RegularExpressions;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Copilot.Drafting;

public partial class OfflineDrafterTests
{
    private static HelpdeskTicket Ticket(string? requesterName = "Ana María López") =>
        new("zendesk", "101", "Refund to my card", "I want a refund.", "open", [], null, "web", "u1", requesterName, "en", []);

    private static KnowledgeHit Hit(long chunkId, long articleId, string title, string text, double score, params string[] matched) =>
        new(chunkId, articleId, title, $"https://help.example.com/{articleId}", title, text, score, matched);

    /// <summary>Three articles: two that answer a refund question and one that shares a single term with it.</summary>
    private static List<KnowledgeHit> RefundHits() =>
    [
        Hit(11, 1, "Refund policy",
            "Refunds go back to the card you paid with. They take up to five days to arrive.\n\n- Open the Orders page and pick the order.",
            10, "refund", "card", "days", "order"),
        Hit(21, 2, "Orders", "Every order has a page with its status and its invoice.", 6, "order"),
        Hit(31, 3, "Card payments", "We accept every major card. A refund on a card takes five business days.", 4, "card", "refund", "days"),
    ];

    private static readonly string[] RefundTerms = ["refund", "card", "days", "order"];

    /// <summary>The quoted lines of a reply: each is a sentence followed by " [n]".</summary>
    private static List<(string Sentence, int Number)> Quotes(string reply) =>
        reply.Split('\n')
            .Select(line => QuotedLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex(@"^(.+) \[(\d+)\]$")]
    private static partial Regex QuotedLine();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Citation();

    [Test]
    public void Compose_RelevantHits_ReplyCitesFirstSource()
    {
        var draft = OfflineDrafter.Compose(Ticket(), RefundTerms, RefundHits());

        Assert.That(draft.IsGap, Is.False);
        Assert.That(draft.Reply, Does.Contain("[1]"));
        Assert.That(draft.Confidence, Is.GreaterThanOrEqualTo(OfflineDrafter.MinConfidence));
        Assert.That(draft.Sources[0].ArticleId, Is.EqualTo(1), "the best article is source 1");
    }

    [Test]
    public void Compose_RelevantHits_SourcesNumberedContiguouslyFromOne()
    {
        var draft = OfflineDrafter.Compose(Ticket(), RefundTerms, RefundHits());

        Assert.That(draft.Sources, Is.Not.Empty);
        Assert.That(draft.Sources.Select(s => s.Number), Is.EqualTo(Enumerable.Range(1, draft.Sources.Count)));
        Assert.That(draft.Sources, Has.Count.LessThanOrEqualTo(OfflineDrafter.MaxSources));
    }

    [Test]
    public void Compose_RelevantHits_EveryCitationMapsToASourceAndEverySourceIsCited()
    {
        var draft = OfflineDrafter.Compose(Ticket(), RefundTerms, RefundHits());

        var cited = Citation().Matches(draft.Reply!).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.That(cited, Is.Not.Empty);
        Assert.That(cited, Is.SubsetOf(draft.Sources.Select(s => s.Number)));
        Assert.That(draft.Sources.Select(s => s.Number), Is.SubsetOf(cited));
    }

    [Test]
    public void Compose_RelevantHits_EveryQuotedSentenceIsVerbatimFromTheCitedArticle()
    {
        var hits = RefundHits();

        var draft = OfflineDrafter.Compose(Ticket(), RefundTerms, hits);

        var quotes = Quotes(draft.Reply!);
        Assert.That(quotes, Is.Not.Empty);
        Assert.That(quotes, Has.Count.LessThanOrEqualTo(OfflineDrafter.MaxSentences));
        foreach (var (sentence, number) in quotes)
        {
            var articleId = draft.Sources.Single(s => s.Number == number).ArticleId;
            var texts = hits.Where(h => h.ArticleId == articleId).Select(h => h.Text).ToList();
            Assert.That(texts, Has.Some.Contains(sentence), $"\"{sentence}\" [{number}] is not in article {articleId}");
        }
    }

    [Test]
    public void Compose_RelevantHits_ArticleSharingOneTermIsNotCited()
    {
        var draft = OfflineDrafter.Compose(Ticket(), RefundTerms, RefundHits());

        Assert.That(draft.Sources.Select(s => s.ArticleId), Does.Not.Contain(2L));
        Assert.That(draft.Reply, Does.Not.Contain("Every order has a page"));
    }

    [Test]
    public void Compose_UncitedQualifiedArticleInTheMiddle_SourcesRenumberedWithoutGap()
    {
        // Article 2 qualifies on its title, but none of its sentences has a query term, so it is never quoted.
        List<KnowledgeHit> hits =
        [
            Hit(11, 1, "Refund policy", "Refunds go back to the card you paid with.", 10, "refund", "card"),
            Hit(21, 2, "Refund card FAQ", "Ask our billing team anything at all about money.", 8, "refund", "card"),
            Hit(31, 3, "Card payments", "A refund on a card takes five business days.", 4, "refund", "card"),
        ];

        var draft = OfflineDrafter.Compose(Ticket(), ["refund", "card"], hits);

        Assert.That(draft.Sources.Select(s => (s.Number, s.ArticleId)), Is.EqualTo(new[] { (1, 1L), (2, 3L) }));
        Assert.That(Quotes(draft.Reply!), Is.EqualTo(new[]
        {
            ("Refunds go back to the card you paid with.", 1),
            ("A refund on a card takes five business days.", 2),
        }));
    }

    [Test]
    public void Compose_NoHits_GapWithoutReplyOrSources()
    {
        var draft = OfflineDrafter.Compose(Ticket(), RefundTerms, []);

        Assert.That(draft.IsGap, Is.True);
        Assert.That(draft.Reply, Is.Null);
        Assert.That(draft.Sources, Is.Empty);
        Assert.That(draft.Confidence, Is.Zero);
        Assert.That(draft.Reason, Is.EqualTo("No article matched the ticket."));
    }

    [Test]
    public void Compose_WeakCoverage_GapListingClosestSources()
    {
        // The best article shares 2 of 12 terms: confidence 2 × 2/12 ≈ 0.33, under the threshold.
        string[] terms = ["refund", "card", "warranty", "screen", "cracked", "replacement", "repair", "shop", "receipt", "store", "broken", "phone"];
        List<KnowledgeHit> hits =
        [
            Hit(11, 1, "Refund policy", "Refunds go back to the card you paid with.", 10, "refund", "card"),
            Hit(21, 2, "Store locations", "Find a store near you on the map.", 5, "store"),
        ];

        var draft = OfflineDrafter.Compose(Ticket(), terms, hits);

        Assert.That(draft.Confidence, Is.LessThan(OfflineDrafter.MinConfidence));
        Assert.That(draft.IsGap, Is.True);
        Assert.That(draft.Reply, Is.Null);
        Assert.That(draft.Sources.Select(s => (s.Number, s.ArticleId, s.Title)), Is.EqualTo(new[] { (1, 1L, "Refund policy"), (2, 2L, "Store locations") }));
        Assert.That(draft.Reason, Does.Contain("confidence"));
    }

    [Test]
    public void Compose_NoArticleSharesTwoTerms_GapListingClosestSources()
    {
        List<KnowledgeHit> hits =
        [
            Hit(11, 1, "Refund policy", "Refunds go back to the card you paid with.", 10, "refund"),
            Hit(21, 2, "Cards", "We accept every major card.", 5, "card"),
        ];

        var draft = OfflineDrafter.Compose(Ticket(), ["refund", "card", "days"], hits);

        Assert.That(draft.IsGap, Is.True);
        Assert.That(draft.Sources.Select(s => (s.Number, s.ArticleId)), Is.EqualTo(new[] { (1, 1L), (2, 2L) }));
        Assert.That(draft.Reason, Does.Contain("2 or more terms"));
    }

    [Test]
    public void Compose_MoreThanMaxSourcesClose_GapListsAtMostMaxSources()
    {
        var hits = Enumerable.Range(1, 5).Select(i => Hit(i * 10, i, $"Article {i}", "Unrelated words only here.", 10 - i, "refund")).ToList();

        var draft = OfflineDrafter.Compose(Ticket(), ["refund", "card", "days"], hits);

        Assert.That(draft.IsGap, Is.True);
        Assert.That(draft.Sources.Select(s => s.ArticleId), Is.EqualTo(new[] { 1L, 2L, 3L }));
    }

    [Test]
    public void Compose_RequesterWithFullName_GreetsByFirstName()
    {
        var draft = OfflineDrafter.Compose(Ticket("  Ana María López "), RefundTerms, RefundHits());

        Assert.That(draft.Reply, Does.StartWith("Hi Ana,\n"));
    }

    [Test]
    public void Compose_RequesterWithoutName_GreetsWithoutName()
    {
        var draft = OfflineDrafter.Compose(Ticket(null), RefundTerms, RefundHits());

        Assert.That(draft.Reply, Does.StartWith("Hi,\n"));
    }

    [Test]
    public void Compose_LeadInEndingWithColon_NotQuoted()
    {
        // The lead-in holds both terms and would score highest if it were a candidate.
        List<KnowledgeHit> hits =
        [
            Hit(11, 1, "Refund policy", "To ask for a refund of a card payment:\n\n- Open Orders and ask for the refund there.", 10, "refund", "card"),
        ];

        var draft = OfflineDrafter.Compose(Ticket(), ["refund", "card"], hits);

        Assert.That(draft.Reply, Does.Not.Contain("To ask for a refund of a card payment"));
        Assert.That(Quotes(draft.Reply!), Is.EqualTo(new[] { ("Open Orders and ask for the refund there.", 1) }));
    }

    [Test]
    public void Sentences_BulletsTablesAndShortFragments_OnlyWholeSentencesKept()
    {
        const string text = "| Plan | Price |\n|---|---|\n| Basic | 5 |\n- Open the Orders page first\nShort one.\nIt works. Then it stops working again.";

        var sentences = OfflineDrafter.Sentences(text).ToList();

        Assert.That(sentences, Is.EqualTo(new[] { "Open the Orders page first.", "Then it stops working again." }));
    }

    [Test]
    
    public void Compose_QualifiedArticleWithNoQuotableSentence_IsGap()
    {
        // MatchedTerms come from title, headings and text; here the terms are only in the title.
        List<KnowledgeHit> hits =
        [
            Hit(11, 1, "Refund to card", "Write to billing with your order number and we will look into it.", 10, "refund", "card"),
        ];

        var draft = OfflineDrafter.Compose(Ticket(), ["refund", "card"], hits);

        Assert.That(draft.IsGap, Is.True, $"a reply that quotes nothing: {draft.Reply}");
    }
}

/// <summary>The classifier's out-of-scope verdict (issue 16) turns what would be a draft into a knowledge gap.</summary>
public class OfflineDrafterOutOfScopeTests
{
    [Test]
    public void Compose_OutOfScopeTicket_IsAGapNamingTheVerdict_AndTheSameHitsInScopeAreADraft()
    {
        var ticket = new HelpdeskTicket("zendesk", "101", "Refund to my card", "I want a refund.", "open", [], null, "web", "u1", "Ana", "en", []);
        List<KnowledgeHit> hits =
        [
            new(11, 1, "Refund policy", "https://help.example.com/1", "Refund policy",
                "Refunds go back to the card you paid with. They take up to five days to arrive.", 10, ["refund", "card", "days"]),
        ];
        string[] terms = ["refund", "card", "days"];
        var intent = new global::HelpdeskSidecar.Copilot.LabelScore("other", 0.7);

        var inScope = OfflineDrafter.Compose(ticket, terms, hits, new RetrievalEvidence(new Dictionary<long, double>(), intent));
        var outOfScope = OfflineDrafter.Compose(ticket, terms, hits, new RetrievalEvidence(new Dictionary<long, double>(), intent) { OutOfScope = true });

        Assert.That(inScope.IsGap, Is.False, inScope.Reason);
        Assert.That(outOfScope.IsGap, Is.True);
        Assert.That(outOfScope.Reason, Does.StartWith("The intent classifier finds the ticket out of scope (top intent other at 0.70)"));
        Assert.That(outOfScope.Evidence, Is.Not.Null, "the measured evidence still goes to the note and the trace");
    }
}
