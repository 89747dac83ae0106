using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>The figures <c>eval intents</c> prints.</summary>
internal sealed record IntentEvaluationResult(
    [property: JsonPropertyName("examples")] int Examples,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("train_seconds")] double TrainSeconds,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("train_examples")] int TrainExamples,
    [property: JsonPropertyName("labels")] int Labels,
    [property: JsonPropertyName("classifier")] string Classifier,
    [property: JsonPropertyName("ece")] double Ece,
    [property: JsonPropertyName("ece_uncalibrated")] double EceUncalibrated)
{
    /// <summary>Rows left out of the training file because their category was empty.</summary>
    [JsonPropertyName("skipped_train")]
    public int SkippedTrain { get; init; }

    /// <summary>Rows left out of the test file because their category was empty.</summary>
    [JsonPropertyName("skipped_test")]
    public int SkippedTest { get; init; }

    /// <summary>With an out-of-scope label: the share of in-scope test examples given their intent (a rejection counts as wrong).</summary>
    [JsonPropertyName("in_scope_accuracy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? InScopeAccuracy { get; init; }

    /// <summary>With an out-of-scope label: the share of out-of-scope test examples rejected.</summary>
    [JsonPropertyName("oos_recall")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OosRecall { get; init; }

    /// <summary>With an out-of-scope label: the share of rejected test examples that were out of scope.</summary>
    [JsonPropertyName("oos_precision")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OosPrecision { get; init; }

    /// <summary>The calibrated probability below which the top intent was rejected (fitted on the training data).</summary>
    [JsonPropertyName("reject_threshold")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RejectThreshold { get; init; }

    /// <summary>Out-of-scope test examples.</summary>
    [JsonPropertyName("oos_examples")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OosExamples { get; init; }
}

/// <summary>A labelled file as read: the examples, and how many rows were left out for an empty category.</summary>
internal sealed record CategoryFile(IReadOnlyList<LabeledText> Examples, int SkippedBlank);

[JsonSerializable(typeof(IntentEvaluationResult))]
internal sealed partial class IntentEvaluationJsonContext : JsonSerializerContext;

/// <summary>Trains the offline classifier on one labelled file and measures it on another (<c>text,category</c>).</summary>
internal static class IntentEvaluation
{
    /// <summary>Expected calibration error over this many equal-width confidence bins.</summary>
    public const int EceBins = 10;

    /// <summary>
    /// Rows with an empty category are skipped and counted, not learned or scored as a class of their own ("" would
    /// otherwise be one more intent, and a test row without a label can be neither right nor wrong).
    /// </summary>
    public static CategoryFile ReadCategories(string path)
    {
        var rows = CsvTable.Read(path, "text", "category");
        if (rows.Count == 0)
            throw new CsvFormatException($"'{path}' has a header but no examples");
        var examples = rows.Where(r => !string.IsNullOrWhiteSpace(r["category"])).Select(r => new LabeledText(r["text"], r["category"].Trim(), [])).ToList();
        if (examples.Count == 0)
            throw new CsvFormatException($"'{path}' has no row with a category");
        return new CategoryFile(examples, rows.Count - examples.Count);
    }

    /// <summary>
    /// Trains on <paramref name="train"/> and scores <paramref name="test"/>. With <see cref="ClassifierSettings.OutOfScopeLabel"/>
    /// set, a rejected prediction (the out-of-scope intent, or a probability under the fitted threshold) counts as that label:
    /// <c>accuracy</c> is then over all test examples with out-of-scope as one more class, and the in-scope/OOS figures are added.
    /// </summary>
    public static IntentEvaluationResult Run(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, TimeProvider time, ClassifierSettings? settings = null)
    {
        var started = time.GetTimestamp();
        var classifier = IntentClassifier.Train(train, settings);
        var trainSeconds = time.GetElapsedTime(started).TotalSeconds;

        // Warm the code paths once so the first prediction does not pay for JIT compilation.
        for (var i = 0; i < Math.Min(50, test.Count); i++)
            classifier.PredictIntent(test[i].Text);

        var latencies = new double[test.Count];
        var predictions = new IntentPrediction[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            var t0 = time.GetTimestamp();
            predictions[i] = classifier.PredictIntent(test[i].Text);
            latencies[i] = time.GetElapsedTime(t0).TotalMilliseconds;
        }
        var oos = settings?.OutOfScopeLabel;
        var gold = test.Select(t => t.Intent!).ToArray();
        var top = predictions.Select(p => p.Intent).ToArray();
        var predicted = oos is null ? top : predictions.Select(p => p.OutOfScope ? oos : p.Intent).ToArray();
        var correct = gold.Zip(top, (g, p) => g == p).ToArray();
        Array.Sort(latencies);
        var result = new IntentEvaluationResult(
            test.Count,
            Math.Round(Accuracy(gold, predicted), 4),
            Math.Round(MacroF1(gold, predicted), 4),
            Math.Round(trainSeconds, 3),
            Math.Round(Percentile(latencies, 0.50), 4),
            Math.Round(Percentile(latencies, 0.99), 4),
            train.Count,
            classifier.Intents.Count,
            classifier.Describe,
            Math.Round(ExpectedCalibrationError(predictions.Select(p => (double)p.Confidence).ToArray(), correct), 4),
            // The same predictions before temperature scaling (the ranking, hence the top intent, is the same).
            Math.Round(ExpectedCalibrationError(predictions.Select(p => (double)p.RawConfidence).ToArray(), correct), 4));
        if (oos is null)
            return result;
        var scope = OutOfScope(gold, predicted, oos);
        return result with
        {
            InScopeAccuracy = Math.Round(scope.InScopeAccuracy, 4),
            OosRecall = Math.Round(scope.OosRecall, 4),
            OosPrecision = Math.Round(scope.OosPrecision, 4),
            RejectThreshold = classifier.RejectThreshold,
            OosExamples = gold.Count(g => g == oos),
        };
    }

    /// <summary>
    /// In-scope accuracy: right among gold in-scope examples (predicting out-of-scope is wrong for them); OOS recall: gold
    /// out-of-scope predicted so; OOS precision: gold out-of-scope among those predicted so (0 when none is).
    /// </summary>
    internal static (double InScopeAccuracy, double OosRecall, double OosPrecision) OutOfScope(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, string oos)
    {
        int inScope = 0, inScopeRight = 0, oosGold = 0, oosFound = 0, oosPredicted = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            var isOos = gold[i] == oos;
            oosPredicted += predicted[i] == oos ? 1 : 0;
            if (isOos)
            {
                oosGold++;
                oosFound += predicted[i] == oos ? 1 : 0;
            }
            else
            {
                inScope++;
                inScopeRight += predicted[i] == gold[i] ? 1 : 0;
            }
        }
        return (inScope == 0 ? 0 : inScopeRight / (double)inScope, oosGold == 0 ? 0 : oosFound / (double)oosGold, oosPredicted == 0 ? 0 : oosFound / (double)oosPredicted);
    }

    /// <summary>
    /// ECE: the top intent's confidence against whether it was right, in <see cref="EceBins"/> equal-width bins
    /// ((0, 0.1], … (0.9, 1]), each bin's |accuracy − mean confidence| weighted by its share of the examples.
    /// </summary>
    internal static double ExpectedCalibrationError(IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, int bins = EceBins)
    {
        if (confidence.Count == 0)
            return 0;
        var count = new int[bins];
        var sumConfidence = new double[bins];
        var sumCorrect = new double[bins];
        for (var i = 0; i < confidence.Count; i++)
        {
            var bin = Math.Clamp((int)Math.Ceiling(confidence[i] * bins) - 1, 0, bins - 1);
            count[bin]++;
            sumConfidence[bin] += confidence[i];
            sumCorrect[bin] += correct[i] ? 1 : 0;
        }
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            if (count[b] > 0)
                ece += count[b] / (double)confidence.Count * Math.Abs(sumCorrect[b] / count[b] - sumConfidence[b] / count[b]);
        }
        return ece;
    }

    internal static double Accuracy(IReadOnlyList<string> gold, IReadOnlyList<string> predicted) =>
        gold.Count == 0 ? 0 : gold.Zip(predicted).Count(p => p.First == p.Second) / (double)gold.Count;

    /// <summary>The mean over the gold labels of each label's F1 (a label never predicted nor present is not counted).</summary>
    internal static double MacroF1(IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        var labels = gold.Distinct().ToList();
        if (labels.Count == 0)
            return 0;
        double sum = 0;
        foreach (var label in labels)
        {
            var tp = gold.Zip(predicted).Count(p => p.First == label && p.Second == label);
            var fp = gold.Zip(predicted).Count(p => p.First != label && p.Second == label);
            var fn = gold.Zip(predicted).Count(p => p.First == label && p.Second != label);
            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / labels.Count;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double q) => Reports.Percentiles.NearestRank(sorted, q);
}
