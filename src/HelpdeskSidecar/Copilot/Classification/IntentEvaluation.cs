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
    [property: JsonPropertyName("classifier")] string Classifier);

[JsonSerializable(typeof(IntentEvaluationResult))]
internal sealed partial class IntentEvaluationJsonContext : JsonSerializerContext;

/// <summary>Trains the offline classifier on one labelled file and measures it on another (<c>text,category</c>).</summary>
internal static class IntentEvaluation
{
    public static IReadOnlyList<LabeledText> ReadCategories(string path)
    {
        var rows = CsvTable.Read(path, "text", "category");
        if (rows.Count == 0)
            throw new CsvFormatException($"'{path}' has a header but no examples");
        return rows.Select(r => new LabeledText(r["text"], r["category"].Trim(), [])).ToList();
    }

    public static IntentEvaluationResult Run(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, TimeProvider time, ClassifierSettings? settings = null)
    {
        var started = time.GetTimestamp();
        var classifier = IntentClassifier.Train(train, settings);
        var trainSeconds = time.GetElapsedTime(started).TotalSeconds;

        // Warm the code paths once so the first prediction does not pay for JIT compilation.
        for (var i = 0; i < Math.Min(50, test.Count); i++)
            classifier.PredictIntent(test[i].Text);

        var latencies = new double[test.Count];
        var predicted = new string[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            var t0 = time.GetTimestamp();
            predicted[i] = classifier.PredictIntent(test[i].Text).Intent;
            latencies[i] = time.GetElapsedTime(t0).TotalMilliseconds;
        }
        var gold = test.Select(t => t.Intent!).ToArray();
        Array.Sort(latencies);
        return new IntentEvaluationResult(
            test.Count,
            Math.Round(Accuracy(gold, predicted), 4),
            Math.Round(MacroF1(gold, predicted), 4),
            Math.Round(trainSeconds, 3),
            Math.Round(Percentile(latencies, 0.50), 4),
            Math.Round(Percentile(latencies, 0.99), 4),
            train.Count,
            classifier.Intents.Count,
            IntentClassifier.Version);
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
