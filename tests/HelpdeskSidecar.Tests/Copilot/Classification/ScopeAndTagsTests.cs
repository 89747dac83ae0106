using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.Classification;

/// <summary>Issue 16: out-of-scope rejection, multi-label tag figures, the eval files, Arabic folding, sentence vectors.</summary>
public class ScopeAndTagsTests
{
    private const int Oos = 9;

    [Test]
    public void FitRejectThreshold_HighestThresholdWithinTheBudgetOfRightAnswers()
    {
        // Ten in-scope examples: eight right (0.30 … 0.97), two wrong (0.10, 0.20); one out-of-scope example, not counted.
        var heldOut = new List<(int Top, float Confidence, int Gold)>
        {
            (0, 0.30f, 0), (1, 0.50f, 1), (2, 0.60f, 2), (0, 0.70f, 0), (1, 0.80f, 1), (2, 0.90f, 2), (0, 0.95f, 0), (1, 0.97f, 1),
            (0, 0.10f, 1), (1, 0.20f, 2),
            (0, 0.15f, Oos),
        };

        // Budget 10% of 10 in-scope examples: one right answer may be rejected (0.30), not two: the threshold stops at 0.50.
        Assert.That(IntentClassifier.FitRejectThreshold(heldOut, Oos, 0.1), Is.EqualTo(0.50).Within(1e-9));
        // No budget: nothing right may be rejected, so the threshold is the lowest right confidence.
        Assert.That(IntentClassifier.FitRejectThreshold(heldOut, Oos, 0.0), Is.EqualTo(0.30).Within(1e-9));
    }

    [Test]
    public void OutOfScopeFigures_HandCounted()
    {
        string[] gold = ["a", "b", "oos", "oos", "a"];
        string[] predicted = ["a", "oos", "oos", "a", "a"];

        var (inScope, recall, precision) = IntentEvaluation.OutOfScope(gold, predicted, "oos");

        Assert.That(inScope, Is.EqualTo(2.0 / 3).Within(1e-9), "a right, b rejected (wrong), a right");
        Assert.That(recall, Is.EqualTo(0.5).Within(1e-9), "one of two out-of-scope examples rejected");
        Assert.That(precision, Is.EqualTo(0.5).Within(1e-9), "two rejected, one of them out of scope");
    }

    [Test]
    public void MultiLabelF1_HandCounted()
    {
        // x: tp 2 → F1 1; y: fp 1, fn 1 → 0; z: only predicted (fp 1), no macro class. Micro: tp 2, fp 2, fn 1 → 4/7.
        IReadOnlyCollection<string>[] gold = [["x", "y"], ["x"], []];
        IReadOnlyCollection<string>[] predicted = [["x"], ["x", "z"], ["y"]];

        var f = TagEvaluation.MultiLabelF1(gold, predicted);

        Assert.That(f.Micro, Is.EqualTo(4.0 / 7).Within(1e-9));
        Assert.That(f.Macro, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(f.Precision, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(f.Recall, Is.EqualTo(2.0 / 3).Within(1e-9));
    }

    [Test]
    public void TagThresholds_PerLabel_FrequentTagGetsItsOwnCutOff_RareTagKeepsTheShared()
    {
        // Tag 0: eight positives at 0.30, eight negatives at 0.10 → any cut-off in (0.10, 0.30] is perfect; the one nearest
        // the shared 0.5 is 0.30. Tag 1: two positives only → the shared cut-off.
        var probabilities = new List<float[]>();
        var targets = new List<int[]>();
        for (var i = 0; i < 16; i++)
        {
            var positive = i < 8;
            probabilities.Add([positive ? 0.30f : 0.10f, i < 2 ? 0.9f : 0.05f]);
            targets.Add(positive ? (i < 2 ? [0, 1] : [0]) : []);
        }

        var thresholds = TagThresholds.PerLabel(probabilities, targets, 2, 0.5f);

        Assert.That(thresholds[0], Is.EqualTo(0.30f).Within(1e-6));
        Assert.That(thresholds[1], Is.EqualTo(0.5f));
    }

    private static List<LabeledText> WithOffTopic() =>
    [
        .. IntentClassifierTests.History(),
        new("We are hiring? I would like to apply for a driver job", "other", []),
        new("Job application for the courier position in your depot", "other", []),
        new("I am a journalist writing an article, can I interview someone", "other", []),
        new("We would like to propose a business partnership with your company", "other", []),
        new("Press enquiry about your electric vans for a newspaper story", "other", []),
        new("Can I send you my CV for a job as a warehouse worker", "other", []),
    ];

    [Test]
    public void Classify_OutOfScopeLabelLearnt_OffTopicIsRejected_InScopeIsNot()
    {
        var classifier = IntentClassifier.Train(WithOffTopic(), ClassifierSettings.Default with { OutOfScopeLabel = "other" });

        var offTopic = classifier.Classify("I want to apply for a job as a courier driver, where do I send my CV");
        var inScope = classifier.Classify("where is my refund for the shoes I returned");

        Assert.That(classifier.OutOfScopeLabel, Is.EqualTo("other"));
        Assert.That(offTopic.OutOfScope, Is.True, $"{offTopic.Intent}");
        Assert.That(inScope.OutOfScope, Is.False, $"{inScope.Intent}");
        Assert.That(inScope.Intent!.Label, Is.EqualTo("refund_status"));
    }

    [Test]
    public void Classify_WithoutAnOutOfScopeLabel_OtherIsJustAnIntent()
    {
        var classifier = IntentClassifier.Train(WithOffTopic());

        var offTopic = classifier.Classify("I want to apply for a job as a courier driver, where do I send my CV");

        Assert.That(offTopic.Intent!.Label, Is.EqualTo("other"));
        Assert.That(offTopic.OutOfScope, Is.EqualTo(offTopic.Intent.Confidence < classifier.RejectThreshold), "only the threshold can reject");
    }

    [Test]
    public void FoldArabic_MarksAndLetterFormsFold_EnglishUntouched()
    {
        Assert.That(TextFeaturizer.FoldArabic("بِطَاقَتِي"), Is.EqualTo("بطاقتي"), "short-vowel marks dropped");
        Assert.That(TextFeaturizer.FoldArabic("أنتظر إلى آخر"), Is.EqualTo("انتظر الي اخر"), "hamza alefs to bare alef, alef maqsura to ya");
        Assert.That(TextFeaturizer.FoldArabic("مكتبة ٣"), Is.EqualTo("مكتبه 3"), "ta marbuta to ha, Arabic-Indic digit to ASCII");
        Assert.That(TextFeaturizer.FoldArabic("بطـــاقة"), Is.EqualTo("بطاقه"), "tatweel dropped");
        const string english = "Where's my refund? It's been 3 days.";
        Assert.That(TextFeaturizer.FoldArabic(english), Is.SameAs(english));
    }

    [Test]
    public void Featurizer_DiacritisedAndPlainSpelling_SameFeatures()
    {
        var featurizer = TextFeaturizer.Fit(["ما زلت أنتظر بطاقتي", "كيف أربط بطاقة جديدة"]);

        var plain = featurizer.Transform("ما زلت انتظر بطاقتي");
        var marked = featurizer.Transform("ما زِلْتُ أَنْتَظِرُ بِطَاقَتِي");

        Assert.That(marked.Indices.Order(), Is.EqualTo(plain.Indices.Order()));
    }

    [Test]
    public void Train_WithSentenceVectors_DescribesThemAndStillClassifies()
    {
        var settings = ClassifierSettings.Default with { Encoder = ClassifierEncoders.Create("minilm") };

        var classifier = IntentClassifier.Train(IntentClassifierTests.History(), settings);

        Assert.That(classifier.Describe, Is.EqualTo(IntentClassifier.Version + "+minilm"));
        Assert.That(classifier.Classify("my money for the returned boots has not come back").Intent!.Label, Is.EqualTo("refund_status"));
        Assert.That(classifier.Classify("the app will not let me sign in").Intent!.Label, Is.EqualTo("login_problem"));
    }

    [Test]
    public void ClassifierEncoders_Names()
    {
        Assert.That(ClassifierEncoders.Create("none"), Is.Null);
        Assert.That(ClassifierEncoders.IsKnown("MiniLM"), Is.True);
        Assert.That(ClassifierEncoders.IsKnown("bert-large"), Is.False);
        Assert.Throws<ArgumentException>(() => ClassifierEncoders.Create("bert-large"));
    }
}

/// <summary>The eval files: CLINC150's JSON of splits and NLU++'s folds.</summary>
public class LabeledFilesTests
{
    [Test]
    public void ReadIntents_JsonSplits_TakesTheNamedSplitsInOrder()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.json", """{"train": [["hi", "greet"], ["bye", "leave"]], "oos_train": [["weather?", "oos"]], "val": [["hey", "greet"]]}""");

        var file = LabeledFiles.ReadIntents(path, ["train", "oos_train"]);

        Assert.That(file.Examples.Select(e => (e.Text, e.Intent)), Is.EqualTo(new[] { ("hi", "greet"), ("bye", "leave"), ("weather?", "oos") }));
    }

    [Test]
    public void ReadIntents_MissingSplit_NamesTheSplitsThereAre()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.json", """{"train": [["hi", "greet"]], "val": []}""");

        var ex = Assert.Throws<InvalidDataException>(() => LabeledFiles.ReadIntents(path, ["test"]));

        Assert.That(ex!.Message, Is.EqualTo($"'{path}' has no split 'test' (it has: train, val)"));
    }

    [Test]
    public void ReadTags_Folder_ReadsFoldsInNumericOrder_MissingIntentsIsNoTag()
    {
        using var dir = new TempDirectory();
        dir.File("fold10.json", """[{"text": "ten", "intents": ["b"]}]""");
        dir.File("fold2.json", """[{"text": "two", "intents": ["a", "b"]}, {"text": "none"}]""");
        dir.File("notes.json", """[{"text": "not a fold"}]""");

        var examples = LabeledFiles.ReadTags(dir.Path);

        Assert.That(examples.Select(e => e.Text), Is.EqualTo(new[] { "two", "none", "ten" }));
        Assert.That(examples[0].Tags, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(examples[1].Tags, Is.Empty);
    }

    [Test]
    public void ReadTags_BadJson_NamesLineAndPosition()
    {
        using var dir = new TempDirectory();
        var path = dir.File("fold0.json", "[\n  {\"text\": \"a\" \"intents\": []}\n]");

        var ex = Assert.Throws<InvalidDataException>(() => LabeledFiles.ReadTags(path));

        Assert.That(ex!.Message, Does.StartWith($"'{path}' is not valid JSON at line 2, position "));
    }

    [Test]
    public void ReadTags_EmptyFolder_Refused()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<InvalidDataException>(() => LabeledFiles.ReadTags(dir.Path));

        Assert.That(ex!.Message, Is.EqualTo($"folder '{dir.Path}' holds no fold*.json files"));
    }
}

public class ClassifierFeaturesTests
{
    [TestCase("Where is my card?", true)]
    [TestCase("Où est ma carte ? Ça fait déjà deux semaines", true)]
    [TestCase("ما زلت أنتظر بطاقتي", false)]
    [TestCase("ما زلت أنتظر بطاقتي my card", false)]
    [TestCase("1234 ?!", true)]
    public void MostlyLatin(string text, bool expected) =>
        Assert.That(ClassifierFeatures.MostlyLatin(text), Is.EqualTo(expected));
}

public class RememberingSentenceEncoderTests
{
    /// <summary>Counts what it is asked to embed; the vector is the text's length, so a wrong pairing shows.</summary>
    private sealed class LengthEncoder : ISentenceEncoder
    {
        public List<string> Asked { get; } = [];

        public string Name => "length";

        public float[][] Encode(IReadOnlyList<string> texts)
        {
            Asked.AddRange(texts);
            return texts.Select(t => new float[] { t.Length }).ToArray();
        }
    }

    [Test]
    public void Encode_SecondTraining_EmbedsOnlyTheNewTexts_AndPairsEveryVectorWithItsText()
    {
        var inner = new LengthEncoder();
        var encoder = new RememberingSentenceEncoder(inner);

        encoder.Encode(["a", "bb", "ccc"]);
        var second = encoder.Encode(["bb", "dddd", "a"]);

        Assert.That(inner.Asked, Is.EqualTo(new[] { "a", "bb", "ccc", "dddd" }));
        Assert.That(second.Select(v => v[0]), Is.EqualTo(new float[] { 2, 4, 1 }));
        Assert.That(encoder.Embedded, Is.EqualTo(4));
    }

    [Test]
    public void Encode_OnlyTheLastTrainingIsKept_AndPredictionsAreNotRemembered()
    {
        var inner = new LengthEncoder();
        var encoder = new RememberingSentenceEncoder(inner);

        encoder.Encode(["a", "bb"]);
        encoder.Encode(["ccc", "dddd"]);
        encoder.Encode(["single"]);
        encoder.Encode(["a", "ccc"]);

        Assert.That(inner.Asked, Is.EqualTo(new[] { "a", "bb", "ccc", "dddd", "single", "a" }), "'a' was dropped with the first training; 'ccc' was kept");
    }
}
