using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.Classification;

public class IntentClassifierTests
{
    /// <summary>A tiny helpdesk history of our own: three intents, tags that cut across them.</summary>
    internal static List<LabeledText> History() =>
    [
        new("Where is my refund? I returned the shoes two weeks ago", "refund_status", ["refund", "returns"]),
        new("The refund for my return has not reached my card yet", "refund_status", ["refund", "returns"]),
        new("When will I get my money back for the returned jacket", "refund_status", ["refund", "returns"]),
        new("Still no refund after you received the parcel back", "refund_status", ["refund"]),
        new("How long does a refund take to show on my bank statement", "refund_status", ["refund"]),
        new("I sent the item back, where is the money", "refund_status", ["refund", "returns"]),
        new("I forgot my password and cannot log in", "login_problem", ["account"]),
        new("The password reset email never arrives", "login_problem", ["account"]),
        new("I cannot sign in to the app, it says wrong password", "login_problem", ["account", "app"]),
        new("My account is locked after too many login attempts", "login_problem", ["account"]),
        new("Two-factor code is not accepted when I log in", "login_problem", ["account", "app"]),
        new("Login fails on the mobile app since the update", "login_problem", ["account", "app"]),
        new("My parcel has not arrived, tracking shows no movement", "parcel_late", ["delivery"]),
        new("The delivery is three days late, where is my package", "parcel_late", ["delivery"]),
        new("Tracking says delayed, when will my order arrive", "parcel_late", ["delivery"]),
        new("The courier never came and the parcel is late", "parcel_late", ["delivery"]),
        new("My package is stuck in transit for a week", "parcel_late", ["delivery"]),
        new("The shipment has not been delivered yet, it is overdue", "parcel_late", ["delivery"]),
    ];

    [TestCase("when do I get my refund for the boots I returned", "refund_status")]
    [TestCase("cant log in, password reset link not working", "login_problem")]
    [TestCase("my package is late and tracking has not moved", "parcel_late")]
    public void Classify_UnseenWording_PicksTheIntentAgentsGave(string text, string expected)
    {
        var classifier = IntentClassifier.Train(History());
        var result = classifier.Classify(text);
        Assert.That(result.Intent!.Label, Is.EqualTo(expected));
        Assert.That(result.Intent.Confidence, Is.GreaterThan(1.0 / 3));
        Assert.That(result.IntentRanking.Sum(r => r.Confidence), Is.LessThanOrEqualTo(1.0001));
    }

    [Test]
    public void Classify_Tags_AreMultiLabel()
    {
        var classifier = IntentClassifier.Train(History());
        var tags = classifier.Classify("I cannot log in to the mobile app, password rejected").Tags.Select(t => t.Label).ToList();
        Assert.That(tags, Does.Contain("account").And.Contain("app"));
        Assert.That(tags, Does.Not.Contain("delivery"));
    }

    [Test]
    public void Train_SameHistory_SamePredictions()
    {
        var a = IntentClassifier.Train(History()).Classify("refund not received");
        var b = IntentClassifier.Train(History()).Classify("refund not received");
        Assert.That(a.Intent, Is.EqualTo(b.Intent));
    }

    [Test]
    public void Evaluation_OnHeldOutWording_ReportsAccuracyAndLatency()
    {
        var test = new List<LabeledText>
        {
            new("refund still missing for my returned coat", "refund_status", []),
            new("password does not work, cannot sign in", "login_problem", []),
            new("parcel delayed, no tracking update", "parcel_late", []),
        };
        var result = IntentEvaluation.Run(History(), test, TimeProvider.System);
        Assert.That(result.Examples, Is.EqualTo(3));
        Assert.That(result.Accuracy, Is.EqualTo(1.0));
        Assert.That(result.MacroF1, Is.EqualTo(1.0));
        Assert.That(result.P99Ms, Is.GreaterThanOrEqualTo(result.P50Ms).And.GreaterThan(0));
    }

    [Test]
    public void MacroF1_OneLabelNeverPredicted_CountsAsZero()
    {
        string[] gold = ["a", "a", "b", "b"];
        string[] predicted = ["a", "a", "a", "a"];
        // a: tp 2, fp 2, fn 0 → F1 2/3; b: 0.
        Assert.That(IntentEvaluation.MacroF1(gold, predicted), Is.EqualTo(1.0 / 3).Within(1e-9));
        Assert.That(IntentEvaluation.Accuracy(gold, predicted), Is.EqualTo(0.5));
    }

    [Test]
    public void ExpectedCalibrationError_KnownBins_IsTheWeightedGap()
    {
        // Bin (0.8, 0.9]: 2 examples at 0.9, one right → |0.5 − 0.9| = 0.4; bin (0.2, 0.3]: 2 at 0.3, none right → 0.3.
        double[] confidence = [0.9, 0.9, 0.3, 0.3];
        bool[] correct = [true, false, false, false];
        Assert.That(IntentEvaluation.ExpectedCalibrationError(confidence, correct), Is.EqualTo(0.5 * 0.4 + 0.5 * 0.3).Within(1e-9));
    }

    /// <summary>
    /// Eight intents, each with its own words, in short templated sentences with a shared filler vocabulary (seeded):
    /// enough to learn, too little for a hinge-trained model to be sure of itself before calibration.
    /// </summary>
    private static List<LabeledText> Synthetic(int perIntent, int seed)
    {
        string[][] topics =
        [
            ["refund", "money", "back"], ["password", "login", "reset"], ["parcel", "late", "tracking"], ["invoice", "vat", "receipt"],
            ["cancel", "subscription", "plan"], ["address", "moving", "redirect"], ["damaged", "broken", "smashed"], ["promo", "code", "discount"],
        ];
        string[] filler = ["please", "today", "order", "account", "app", "help", "week", "again", "customer", "service", "problem", "still"];
        var random = new Random(seed);
        var rows = new List<LabeledText>();
        for (var n = 0; n < perIntent; n++)
        {
            for (var t = 0; t < topics.Length; t++)
            {
                var words = Enumerable.Range(0, 6).Select(_ => filler[random.Next(filler.Length)])
                    .Append(topics[t][random.Next(3)]).OrderBy(_ => random.Next()).ToList();
                rows.Add(new LabeledText(string.Join(' ', words), $"intent_{t}", []));
            }
        }
        return rows;
    }

    [Test]
    public void Evaluation_SmallHistory_CalibrationLowersTheExpectedCalibrationError()
    {
        // 64 training examples: too few to hold a 10% share out, so the temperature comes from 5-fold cross-validation.
        var result = IntentEvaluation.Run(Synthetic(8, seed: 1), Synthetic(25, seed: 2), TimeProvider.System);

        Assert.That(result.Accuracy, Is.GreaterThan(0.5), "the task is learnable");
        Assert.That(result.Ece, Is.LessThan(result.EceUncalibrated));
        Assert.That(result.Ece, Is.LessThan(0.15));
    }

    [Test]
    public void Train_SampleHistory_TopIntentProbabilityMeansSomething()
    {
        // The demo's history: 62 past tickets over 25 intents. Uncalibrated, every intent got 0.05–0.09.
        var classifier = IntentClassifier.Train(HistoryStore.ReadCsv(Samples.PathOf(Path.Combine("history", "past-tickets.csv"))));

        var result = classifier.Classify("I want to cancel my Parcelly Plus membership but I can't find a cancel button anywhere in the app.");

        Assert.That(result.Intent!.Label, Is.EqualTo("cancel_subscription"));
        Assert.That(result.Intent.Confidence, Is.GreaterThan(0.5));
    }
}
