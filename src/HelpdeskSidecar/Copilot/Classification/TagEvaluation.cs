using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>The figures <c>eval tags</c> prints.</summary>
internal sealed record TagEvaluationResult(
    [property: JsonPropertyName("examples")] int Examples,
    [property: JsonPropertyName("micro_f1")] double MicroF1,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("micro_precision")] double MicroPrecision,
    [property: JsonPropertyName("micro_recall")] double MicroRecall,
    [property: JsonPropertyName("train_examples")] int TrainExamples,
    [property: JsonPropertyName("labels")] int Labels,
    [property: JsonPropertyName("train_seconds")] double TrainSeconds,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("classifier")] string Classifier);

[JsonSerializable(typeof(TagEvaluationResult))]
internal sealed partial class TagEvaluationJsonContext : JsonSerializerContext;

/// <summary>Trains the tag side of the classifier (one-vs-rest, per-tag cut-offs) on one set and measures its tag sets on another.</summary>
internal static class TagEvaluation
{
    public static TagEvaluationResult Run(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, TimeProvider time, ClassifierSettings? settings = null)
    {
        var started = time.GetTimestamp();
        var classifier = IntentClassifier.Train(train.Select(t => t with { Intent = null }).ToList(), settings);
        var trainSeconds = time.GetElapsedTime(started).TotalSeconds;
        for (var i = 0; i < Math.Min(50, test.Count); i++)
            classifier.PredictTags(test[i].Text);
        var latencies = new double[test.Count];
        var predicted = new List<IReadOnlyCollection<string>>(test.Count);
        for (var i = 0; i < test.Count; i++)
        {
            var t0 = time.GetTimestamp();
            predicted.Add(classifier.PredictTags(test[i].Text));
            latencies[i] = time.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(latencies);
        var f = MultiLabelF1(test.Select(t => (IReadOnlyCollection<string>)t.Tags).ToList(), predicted);
        return new TagEvaluationResult(test.Count, Math.Round(f.Micro, 4), Math.Round(f.Macro, 4), Math.Round(f.Precision, 4), Math.Round(f.Recall, 4),
            train.Count, classifier.Tags.Count, Math.Round(trainSeconds, 3),
            Math.Round(IntentEvaluation.Percentile(latencies, 0.50), 4), Math.Round(IntentEvaluation.Percentile(latencies, 0.99), 4), classifier.Describe);
    }

    /// <summary>
    /// Micro-F1 over every (example, tag) decision; macro-F1 as the mean F1 of the tags that occur in the gold sets (a tag
    /// only ever predicted, never gold, adds false positives to micro-F1 but no class to the macro mean). Precision and
    /// recall are the micro ones.
    /// </summary>
    internal static (double Micro, double Macro, double Precision, double Recall) MultiLabelF1(IReadOnlyList<IReadOnlyCollection<string>> gold, IReadOnlyList<IReadOnlyCollection<string>> predicted)
    {
        int tpAll = 0, fpAll = 0, fnAll = 0;
        var f1s = new List<double>();
        foreach (var label in gold.SelectMany(g => g).Union(predicted.SelectMany(p => p)).Distinct(StringComparer.Ordinal))
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < gold.Count; i++)
            {
                var g = gold[i].Contains(label);
                var p = predicted[i].Contains(label);
                tp += g && p ? 1 : 0;
                fp += !g && p ? 1 : 0;
                fn += g && !p ? 1 : 0;
            }
            tpAll += tp;
            fpAll += fp;
            fnAll += fn;
            if (tp + fn > 0)
                f1s.Add(tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn));
        }
        var micro = tpAll == 0 ? 0 : 2.0 * tpAll / (2.0 * tpAll + fpAll + fnAll);
        var precision = tpAll + fpAll == 0 ? 0 : tpAll / (double)(tpAll + fpAll);
        var recall = tpAll + fnAll == 0 ? 0 : tpAll / (double)(tpAll + fnAll);
        return (micro, f1s.Count == 0 ? 0 : f1s.Average(), precision, recall);
    }
}
