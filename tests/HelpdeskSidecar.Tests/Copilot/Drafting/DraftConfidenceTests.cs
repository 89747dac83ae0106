using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Copilot.Drafting;

public class DraftConfidenceTests
{
    private static KnowledgeHit Hit(long chunkId, long articleId, string title, params string[] matched) =>
        new(chunkId, articleId, title, null, title, "text", 0.1, matched);

    private static readonly string[] CancelTerms = ["cancel", "membership", "button", "app", "iphone"];

    [Test]
    public void Of_PassageThatAnswers_IsHighAndAboveTheDraftThreshold()
    {
        List<KnowledgeHit> hits = [Hit(1, 10, "Cancel your subscription", "cancel", "membership", "button", "app"), Hit(2, 20, "Gift cards", "app")];
        var evidence = new RetrievalEvidence(new Dictionary<long, double> { [1] = 0.45, [2] = 0.10 }, new LabelScore("cancel_subscription", 0.9));

        var e = DraftConfidence.Of(CancelTerms, hits, [10L], evidence);

        Assert.That(e.Retrieval, Is.EqualTo(1.0), "a cosine above what an on-topic match looks like");
        Assert.That(e.Coverage, Is.GreaterThan(0.7));
        Assert.That(e.Agreement, Is.GreaterThan(0.9), "the intent's words are the source's title");
        Assert.That(e.Confidence, Is.GreaterThan(0.8).And.GreaterThanOrEqualTo(OfflineDrafter.MinConfidence));
    }

    [Test]
    public void Of_UnrelatedPassage_IsLowAndBelowTheDraftThreshold()
    {
        // A press enquiry: the only shared words are the brand and "delivery", which every passage has.
        string[] terms = ["reporter", "delivery", "companies", "electric", "vans", "parcelly", "numbers", "fleet", "quote", "article"];
        List<KnowledgeHit> hits =
        [
            Hit(1, 10, "Parcel marked delivered but not received", "delivery", "parcelly"),
            Hit(2, 20, "Track a parcel", "delivery", "parcelly"),
            Hit(3, 30, "Download invoices", "parcelly", "numbers"),
        ];
        var evidence = new RetrievalEvidence(new Dictionary<long, double> { [1] = 0.08, [2] = 0.07, [3] = 0.06 }, new LabelScore("other", 0.8));

        var e = DraftConfidence.Of(terms, hits, [10L, 30L], evidence);

        Assert.That(e.Retrieval, Is.LessThan(0.3));
        Assert.That(e.Coverage, Is.LessThan(0.3));
        Assert.That(e.Agreement, Is.LessThan(0.4), "a confident 'other' is named by no source");
        Assert.That(e.Confidence, Is.LessThan(OfflineDrafter.MinConfidence));
    }

    [Test]
    public void Of_WordsEveryPassageHas_CountLessThanWordsNoneHas()
    {
        // Same number of terms covered (2 of 4); covering the rare ones is worth more than covering the common ones.
        string[] terms = ["parcelly", "order", "warranty", "repair"];
        List<KnowledgeHit> hits =
        [
            Hit(1, 10, "A", "parcelly", "order"), Hit(2, 20, "B", "parcelly", "order"), Hit(3, 30, "C", "parcelly", "order", "warranty", "repair"),
        ];

        var common = DraftConfidence.Coverage(terms, hits, [hits[0]]);
        var rare = DraftConfidence.Coverage(terms, hits, [new KnowledgeHit(9, 40, "D", null, "D", "t", 0, ["warranty", "repair"])]);

        Assert.That(rare, Is.GreaterThan(common));
    }

    [Test]
    public void Of_NoDenseScoresNorIntent_StandsOnCoverageAlone()
    {
        List<KnowledgeHit> hits = [Hit(1, 10, "Cancel your subscription", "cancel", "membership")];

        var e = DraftConfidence.Of(["cancel", "membership"], hits, [10L], RetrievalEvidence.None);

        Assert.That(e.Retrieval, Is.Null);
        Assert.That(e.Agreement, Is.Null);
        Assert.That(e.Confidence, Is.EqualTo(e.Coverage).Within(1e-9));
    }

    [Test]
    public void Compose_ConfidentIntent_PutsTheSourceNamingItFirst()
    {
        var ticket = new HelpdeskSidecar.Helpdesks.HelpdeskTicket("zendesk", "1", "How do I cancel?", "cancel", "open", [], null, "web", "u", null, "en", []);
        List<KnowledgeHit> hits =
        [
            new(1, 10, "Can't sign in to the app", null, "Can't sign in to the app", "If the app on your iPhone will not let you in, reinstall the app from the store.", 0.2, ["app", "iphone", "membership"]),
            new(2, 20, "Cancel your subscription", null, "Cancel your subscription", "To cancel your membership, open Account and press the cancel button.", 0.1, ["cancel", "membership", "button"]),
        ];
        var evidence = new RetrievalEvidence(new Dictionary<long, double> { [1] = 0.4, [2] = 0.4 }, new LabelScore("cancel_subscription", 0.9));

        var draft = OfflineDrafter.Compose(ticket, CancelTerms, hits, evidence);

        Assert.That(draft.Sources[0].Title, Is.EqualTo("Cancel your subscription"));
        Assert.That(draft.Evidence, Is.Not.Null);
        Assert.That(draft.Confidence, Is.EqualTo(draft.Evidence!.Confidence));
    }

    [TestCase(0.60, 0.0)]
    [TestCase(0.63, 0.0)]
    [TestCase(0.665, 0.5)]
    [TestCase(0.70, 1.0)]
    [TestCase(0.90, 1.0)]
    public void Retrieval_ArcticXsScale_ReadsCosinesBetweenOffAndOnTopic(double cosine, double expected)
    {
        KnowledgeHit hit = new(1, 10, "Refunds", null, "Refunds", "Refunds take five days.", 0.1, ["refund"]);

        var retrieval = DraftConfidence.Retrieval([hit], new Dictionary<long, double> { [1] = cosine }, HelpdeskSidecar.Ai.Encoders.SentenceEncoderModel.ArcticXs.Scale);

        Assert.That(retrieval, Is.EqualTo(expected).Within(1e-9));
        // The hashed embedder's scale reads the same cosine as near-certain evidence: why each encoder carries its own.
        Assert.That(DraftConfidence.Retrieval([hit], new Dictionary<long, double> { [1] = cosine }), Is.EqualTo(1.0));
    }
}
