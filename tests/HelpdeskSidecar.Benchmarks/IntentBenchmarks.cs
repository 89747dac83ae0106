using HelpdeskSidecar.Copilot;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// The offline classifier on public datasets (../shared/datasets), nothing tuned on them:
/// <c>tags-nlupp</c> is multi-label tagging on NLU++ (first two thirds of the folds to train, the last third to
/// test, per domain; micro and macro F1 at the default 0.5 threshold); <c>oos-clinc150</c> is out-of-scope
/// rejection on CLINC150: the threshold on the top intent's calibrated confidence is chosen on a seeded 10% of
/// <c>train</c> plus <c>oos_train</c>, then applied to <c>val</c> plus <c>oos_val</c>.
/// </summary>
internal static class IntentBenchmarks
{
    public static string TagsNlupp()
    {
        var root = Path.Combine(Datasets(), "nlupp", "data");
        var result = new JsonObject { ["bench"] = "tags-nlupp" };
        foreach (var domain in new[] { "banking", "hotels" })
        {
            var folds = Directory.GetFiles(Path.Combine(root, domain), "fold*.json")
                .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)["fold".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var cut = folds.Count * 2 / 3;
            var train = folds.Take(cut).SelectMany(ReadNlupp).ToList();
            var test = folds.Skip(cut).SelectMany(ReadNlupp).ToList();
            var started = TimeProvider.System.GetTimestamp();
            var classifier = IntentClassifier.Train(train);
            var trainSeconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var predicted = test.Select(t => classifier.Classify(t.Text).Tags.Select(s => s.Label).ToHashSet()).ToList();
            var (micro, macro) = MultiLabelF1(test.Select(t => t.Tags.ToHashSet()).ToList(), predicted, classifier.Tags);
            result[domain] = new JsonObject
            {
                ["train_examples"] = train.Count, ["test_examples"] = test.Count, ["labels"] = classifier.Tags.Count,
                ["micro_f1"] = Math.Round(micro, 4), ["macro_f1"] = Math.Round(macro, 4), ["train_seconds"] = Math.Round(trainSeconds, 2),
            };
        }
        return result.ToJsonString();
    }

    public static string OosClinc150()
    {
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(Datasets(), "clinc150", "data_dev.json")))!;
        List<LabeledText> Read(string key) => data[key]!.AsArray().Select(p => new LabeledText(p![0]!.GetValue<string>(), p[1]!.GetValue<string>(), [])).ToList();
        var train = Read("train");
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(42).Shuffle(order);
        var tuneCount = train.Count / 10;
        var tune = order[..tuneCount].Select(i => train[i]).Concat(Read("oos_train")).ToList();
        var fit = order[tuneCount..].Select(i => train[i]).ToList();
        var test = Read("val").Concat(Read("oos_val")).ToList();

        var started = TimeProvider.System.GetTimestamp();
        var classifier = IntentClassifier.Train(fit);
        var trainSeconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;

        var tuneScores = tune.Select(t => (Gold: t.Intent!, Top: classifier.Classify(t.Text).Intent!)).ToList();
        var testScores = test.Select(t => (Gold: t.Intent!, Top: classifier.Classify(t.Text).Intent!)).ToList();
        var result = new JsonObject
        {
            ["bench"] = "oos-clinc150", ["train_examples"] = fit.Count, ["test_examples"] = test.Count,
            ["in_scope_accuracy_no_threshold"] = Math.Round(Score(testScores, 0).InScopeAccuracy, 4),
            ["train_seconds"] = Math.Round(trainSeconds, 2),
        };
        // Two ways to pick the threshold on the tuning slice: the mean of in-scope accuracy and OOS recall, which
        // over-rejects when out-of-scope is rare; and overall accuracy with "oos" as one more class.
        foreach (var (name, objective) in new (string, Func<(double InScopeAccuracy, double OosRecall, double OosPrecision, double Balanced, double Overall), double>)[]
            { ("balanced", r => r.Balanced), ("overall_accuracy", r => r.Overall) })
        {
            var threshold = Enumerable.Range(0, 100).Select(i => i / 100.0).MaxBy(th => objective(Score(tuneScores, th)));
            var s = Score(testScores, threshold);
            result["by_" + name] = new JsonObject
            {
                ["threshold"] = threshold, ["in_scope_accuracy"] = Math.Round(s.InScopeAccuracy, 4), ["oos_recall"] = Math.Round(s.OosRecall, 4),
                ["oos_precision"] = Math.Round(s.OosPrecision, 4), ["overall_accuracy"] = Math.Round(s.Overall, 4),
            };
        }
        return result.ToJsonString();
    }

    /// <summary>In-scope accuracy counts a rejected in-scope example as wrong; "balanced" is the mean with OOS recall.</summary>
    private static (double InScopeAccuracy, double OosRecall, double OosPrecision, double Balanced, double Overall) Score(List<(string Gold, LabelScore Top)> scores, double threshold)
    {
        const string Oos = "oos";
        string Predict((string Gold, LabelScore Top) s) => s.Top.Confidence < threshold ? Oos : s.Top.Label;
        var inScope = scores.Where(s => s.Gold != Oos).ToList();
        var oos = scores.Where(s => s.Gold == Oos).ToList();
        var accuracy = inScope.Count == 0 ? 0 : inScope.Count(s => Predict(s) == s.Gold) / (double)inScope.Count;
        var recall = oos.Count == 0 ? 0 : oos.Count(s => Predict(s) == Oos) / (double)oos.Count;
        var rejected = scores.Count(s => Predict(s) == Oos);
        var precision = rejected == 0 ? 0 : oos.Count(s => Predict(s) == Oos) / (double)rejected;
        var overall = scores.Count == 0 ? 0 : scores.Count(s => Predict(s) == s.Gold) / (double)scores.Count;
        return (accuracy, recall, precision, (accuracy + recall) / 2, overall);
    }

    private static (double Micro, double Macro) MultiLabelF1(List<HashSet<string>> gold, List<HashSet<string>> predicted, IReadOnlyList<string> labels)
    {
        int tpAll = 0, fpAll = 0, fnAll = 0;
        var f1s = new List<double>();
        foreach (var label in labels.Union(gold.SelectMany(g => g)).Distinct())
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
        return (micro, f1s.Count == 0 ? 0 : f1s.Average());
    }

    private static IEnumerable<LabeledText> ReadNlupp(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Select(e => new LabeledText(e!["text"]!.GetValue<string>(), null,
                e["intents"]?.AsArray().Select(i => i!.GetValue<string>()).ToList() ?? []));

    internal static string Datasets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "datasets"), Path.Combine(dir.FullName, "..", "shared", "datasets") })
            {
                if (Directory.Exists(candidate))
                    return Path.GetFullPath(candidate);
            }
        }
        throw new DirectoryNotFoundException("../shared/datasets is not beside the repository");
    }

    /// <summary>
    /// <c>intent-latency</c>: the time of one <see cref="IntentClassifier.Classify"/> call including the sentence vector
    /// (issue 16 aim: p99 ≤ 25 ms), with the product's default encoder and without any. banking77: 20 seeded examples per
    /// intent to train (latency does not depend on how many), 1,000 other rows to time one by one after 50 warm-up calls.
    /// </summary>
    public static string IntentLatency()
    {
        var rows = CsvTable.Read(Path.Combine(Datasets(), "banking77", "train.csv"), "text", "category")
            .Select(r => new LabeledText(r["text"], r["category"], [])).ToList();
        new Random(16).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        var train = rows.GroupBy(r => r.Intent).SelectMany(g => g.Take(20)).ToList();
        var trained = train.ToHashSet();
        var test = rows.Where(r => !trained.Contains(r)).Take(1000).ToList();
        var result = new JsonObject { ["bench"] = "intent-latency", ["train_examples"] = train.Count, ["timed"] = test.Count };
        foreach (var name in new[] { ClassifierEncoders.Default, ClassifierEncoders.None })
        {
            var started = TimeProvider.System.GetTimestamp();
            var classifier = IntentClassifier.Train(train, ClassifierSettings.Default with { Encoder = ClassifierEncoders.Create(name) });
            var trainSeconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            foreach (var t in test.Take(50))
                classifier.Classify(t.Text);
            // CPU time of the whole process over the timed calls: on a shared machine the wall clock measures the queue for the cores.
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var ms = test.Select(t =>
            {
                var t0 = TimeProvider.System.GetTimestamp();
                classifier.Classify(t.Text);
                return TimeProvider.System.GetElapsedTime(t0).TotalMilliseconds;
            }).Order().ToArray();
            var cpuMs = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / test.Count;
            result[name] = new JsonObject
            {
                ["classifier"] = classifier.Describe, ["train_seconds"] = Math.Round(trainSeconds, 2),
                ["p50_ms"] = Math.Round(ms[ms.Length / 2], 3), ["p99_ms"] = Math.Round(ms[(int)Math.Ceiling(ms.Length * 0.99) - 1], 3), ["max_ms"] = Math.Round(ms[^1], 3),
                ["cpu_ms_per_call"] = Math.Round(cpuMs, 3), ["load_average"] = LoadAverage(),
            };
        }
        return result.ToJsonString();
    }

    /// <summary>The one-minute load average (Linux), to read a latency figure against; null elsewhere.</summary>
    private static double? LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
}
