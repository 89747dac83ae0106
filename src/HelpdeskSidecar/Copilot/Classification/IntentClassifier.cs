namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>A past ticket as the classifier learns from it: its text, the agent's intent (if any) and tags.</summary>
internal sealed record LabeledText(string Text, string? Intent, IReadOnlyList<string> Tags);

/// <summary>
/// What the classifier says about one text: the intent, tags above threshold, and every confidence. <see cref="OutOfScope"/>:
/// the top intent is the out-of-scope label, or its calibrated probability is below the rejection threshold.
/// </summary>
internal sealed record Classification(LabelScore? Intent, IReadOnlyList<LabelScore> Tags, IReadOnlyList<LabelScore> IntentRanking)
{
    public bool OutOfScope { get; init; }
}

/// <remarks>
/// Defaults chosen on banking77 only: trained on 90% of its train.csv and scored on the other 10% (split with
/// seed 42, see docs/benchmarks.md). Multi-class hinge beat log loss there (0.914 vs 0.896 held-out accuracy);
/// a small AdaGrad step (0.07) and 6 epochs beat larger steps and longer runs.
/// </remarks>
internal sealed record ClassifierSettings(TrainingSettings IntentTraining, TrainingSettings TagTraining, double CalibrationShare = 0.1, int CalibrationSeed = 7, double TagThreshold = 0.5)
{
    public static ClassifierSettings Default { get; } = new(
        new TrainingSettings(Epochs: 6, LearningRate: 0.07f, L2: 1e-6f, Hinge: true),
        new TrainingSettings(Epochs: 10, LearningRate: 0.3f, L2: 1e-6f));

    /// <summary>The intent that means "none of ours" (CLINC150's <c>oos</c>, a helpdesk's <c>other</c>); null: none is.</summary>
    public string? OutOfScopeLabel { get; init; }

    /// <summary>
    /// The rejection threshold is the highest calibrated probability below which at most this share of the held-out
    /// in-scope examples that the classifier got right would be rejected: the price in answerable tickets, fixed up front.
    /// </summary>
    public double RejectBudget { get; init; } = 0.02;

    /// <summary>Each tag gets its own cut-off where the held-out data has enough of it (<see cref="TagThresholds"/>).</summary>
    public bool PerTagThresholds { get; init; } = true;

    /// <summary>Sentence vectors beside the sparse features (null: sparse only).</summary>
    public ISentenceEncoder? Encoder { get; init; }

    /// <summary>
    /// The dense block's length relative to the sparse block's (both unit length before this) for the intent. 1: on the
    /// banking77 tuning slice 1–3 were alike (0.926, 0.922, 0.920), and at 3 the 62-ticket sample history's intents lost
    /// their confidence (the cancel ticket 0.92 → 0.44).
    /// </summary>
    public float DenseWeight { get; init; } = 1f;

    /// <summary>The same for the tags: 3, chosen on NLU++ folds 0–7 → 8–9 (banking micro-F1 0.81 at 2, 0.82 at 3).</summary>
    public float TagDenseWeight { get; init; } = 3f;
}

/// <summary>
/// The offline intent and tag classifier, learned from the helpdesk's own history: TF-IDF features
/// (<see cref="TextFeaturizer"/>) and, with an encoder, the sentence vector beside them (<see cref="ClassifierFeatures"/>)
/// under a linear model for the intent (multi-class hinge) and one-vs-rest logistic regressions for the tags.
/// Intent confidences are calibrated by temperature scaling, fitted on a seeded held-out share of the history before the
/// final model is trained on all of it; on the same share the out-of-scope rejection threshold is fitted. Tag
/// temperature and cut-offs (one per tag with enough examples) come from out-of-fold scores (fixed 0.5 when the
/// history is too small to hold any out).
/// </summary>
internal sealed class IntentClassifier
{
    public const string Version = "tfidf-word12-char25x-linear/v3";

    private readonly ClassifierFeatures _features;
    private readonly LinearModel? _intentModel;
    private readonly string[] _intents;
    private readonly LinearModel? _tagModel;
    private readonly string[] _tags;
    private readonly double _tagThreshold;
    private readonly int _outOfScope;

    private IntentClassifier(ClassifierFeatures features, LinearModel? intentModel, string[] intents, LinearModel? tagModel, string[] tags, double tagThreshold, string? outOfScopeLabel)
    {
        _features = features;
        _intentModel = intentModel;
        _intents = intents;
        _tagModel = tagModel;
        _tags = tags;
        _tagThreshold = tagThreshold;
        _outOfScope = outOfScopeLabel is null ? -1 : Array.IndexOf(intents, outOfScopeLabel);
    }

    public IReadOnlyList<string> Intents => _intents;

    public IReadOnlyList<string> Tags => _tags;

    public int ExampleCount { get; private init; }

    /// <summary>The tag model's dense weight over the intent model's (the features carry the intent's).</summary>
    private float TagScale { get; init; } = 1f;

    /// <summary>The calibrated probability below which the top intent is rejected as out of scope (0: never).</summary>
    public double RejectThreshold { get; private init; }

    /// <summary>The out-of-scope intent this classifier learnt, if its settings named one and the history has it.</summary>
    public string? OutOfScopeLabel => _outOfScope >= 0 ? _intents[_outOfScope] : null;

    /// <summary>"tfidf-…/v3" or "tfidf-…/v3+arctic-xs": what the features are.</summary>
    public string Describe => _features.Describe(Version);

    public static IntentClassifier Train(IReadOnlyList<LabeledText> examples, ClassifierSettings? settings = null)
    {
        settings ??= ClassifierSettings.Default;
        var features = ClassifierFeatures.Fit(examples.Select(e => e.Text).ToList(), settings.Encoder, settings.DenseWeight);
        var vectors = features.TransformAll(examples.Select(e => e.Text).ToList());

        var intents = examples.Where(e => !string.IsNullOrWhiteSpace(e.Intent)).Select(e => e.Intent!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        LinearModel? intentModel = null;
        double reject = 0;
        if (intents.Length >= 2)
        {
            var index = intents.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
            var rows = Enumerable.Range(0, examples.Count).Where(i => !string.IsNullOrWhiteSpace(examples[i].Intent)).ToList();
            var outOfScope = settings.OutOfScopeLabel is { } oos && index.TryGetValue(oos, out var o) ? o : -1;
            (intentModel, reject) = TrainIntents(rows.Select(i => vectors[i]).ToList(), rows.Select(i => index[examples[i].Intent!]).ToList(),
                intents.Length, outOfScope, features.Dimensions, settings);
        }

        var tags = examples.SelectMany(e => e.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        LinearModel? tagModel = null;
        if (tags.Length >= 1)
        {
            var index = tags.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
            var tagVectors = vectors.Select(v => ClassifierFeatures.ScaleDense(v, settings.TagDenseWeight / settings.DenseWeight)).ToList();
            tagModel = TrainTags(tagVectors, examples.Select(e => e.Tags.Select(t => index[t]).Distinct().ToArray()).ToList(), tags.Length, features.Dimensions, settings);
        }
        return new IntentClassifier(features, intentModel, intents, tagModel, tags, settings.TagThreshold, settings.OutOfScopeLabel)
        {
            TagScale = settings.TagDenseWeight / settings.DenseWeight,
            ExampleCount = examples.Count,
            RejectThreshold = reject,
        };
    }

    /// <summary>Fewer examples than this: no calibration at all (the probabilities are the model's raw ones).</summary>
    public const int MinExamplesToCalibrate = 20;

    /// <summary>Folds for calibrating on a history too small to hold a share out (under 20 held-out examples).</summary>
    public const int CalibrationFolds = 5;

    /// <summary>Tag histories up to this size choose their cut-offs on out-of-fold scores of all examples (k-fold), larger ones on the held-out share.</summary>
    public const int TagCrossValidationLimit = 5000;

    /// <summary>
    /// Fits the temperature on a held-out share, then trains the final model on everything with it. A history too small
    /// to spare 20 examples (the sample history has 62 for 25 intents) is calibrated by seeded k-fold cross-validation
    /// instead: each fold's model scores the examples it did not see, and the temperature is fitted on all of those
    /// scores. Without it, a hinge-trained model on little data spreads its probability almost evenly (0.05–0.09 on
    /// 25 intents) and no intent threshold can fire. On the same held-out scores the rejection threshold is chosen
    /// (<see cref="ClassifierSettings.RejectBudget"/>).
    /// </summary>
    private static (LinearModel Model, double Reject) TrainIntents(List<SparseVector> x, List<int> y, int labels, int outOfScope, int dimensions, ClassifierSettings settings)
    {
        var targets = y.Select(t => new[] { t }).ToList();
        if (x.Count < MinExamplesToCalibrate)
            return (LinearModel.Train(x, targets, labels, LinearObjective.Softmax, settings.IntentTraining, dimensions), 0);
        var heldOutCount = (int)(x.Count * settings.CalibrationShare);
        var folds = Folds(x.Count, heldOutCount >= MinExamplesToCalibrate ? 1 : CalibrationFolds, heldOutCount, settings.CalibrationSeed);
        var (probe, logits, heldTargets) = OutOfFold(x, targets, labels, LinearObjective.Softmax, settings.IntentTraining, dimensions, folds);
        var temperature = probe.FitTemperature(logits, heldTargets);
        var probabilities = new float[labels];
        var scored = logits.Select((l, i) =>
        {
            probe.Probabilities(l, temperature, probabilities);
            var top = ArgMax(probabilities);
            return (Top: top, Confidence: probabilities[top], Gold: heldTargets[i][0]);
        }).ToList();
        var reject = FitRejectThreshold(scored, outOfScope, settings.RejectBudget);
        var final = LinearModel.Train(x, targets, labels, LinearObjective.Softmax, settings.IntentTraining, dimensions);
        final.Temperature = temperature;
        return (final, reject);
    }

    /// <summary>
    /// The highest threshold (in steps of 0.01) that rejects no more than <paramref name="budget"/> of the held-out in-scope
    /// examples whose top intent was right. Wrong ones cost nothing to reject; out-of-scope ones are not needed for it.
    /// </summary>
    internal static double FitRejectThreshold(IReadOnlyList<(int Top, float Confidence, int Gold)> heldOut, int outOfScope, double budget)
    {
        var right = heldOut.Where(h => h.Gold != outOfScope && h.Top == h.Gold).Select(h => h.Confidence).Order().ToList();
        var inScope = heldOut.Count(h => h.Gold != outOfScope);
        if (inScope == 0 || right.Count == 0)
            return 0;
        var allowed = (int)Math.Floor(budget * inScope);
        var best = 0.0;
        for (var step = 1; step < 100; step++)
        {
            var threshold = step / 100.0;
            if (right.Count(c => c < threshold) > allowed)
                break;
            best = threshold;
        }
        return best;
    }

    /// <summary>
    /// Temperature and cut-offs on scores of examples the scoring model did not see: out-of-fold scores of every example
    /// (k-fold) up to <see cref="TagCrossValidationLimit"/> examples, the seeded held-out share above it. A history too
    /// small to spare 20 examples keeps the fixed cut-off (per-fold probes differ too much on a tiny history).
    /// </summary>
    private static LinearModel TrainTags(List<SparseVector> x, List<int[]> y, int labels, int dimensions, ClassifierSettings settings)
    {
        if (x.Count < MinExamplesToCalibrate)
            return LinearModel.Train(x, y, labels, LinearObjective.Sigmoid, settings.TagTraining, dimensions);
        var heldOutCount = (int)(x.Count * settings.CalibrationShare);
        var tiny = heldOutCount < MinExamplesToCalibrate;
        var foldCount = tiny || x.Count <= TagCrossValidationLimit ? CalibrationFolds : 1;
        var folds = Folds(x.Count, foldCount, heldOutCount, settings.CalibrationSeed);
        var (probe, logits, heldTargets) = OutOfFold(x, y, labels, LinearObjective.Sigmoid, settings.TagTraining, dimensions, folds);
        var temperature = probe.FitTemperature(logits, heldTargets);
        var final = LinearModel.Train(x, y, labels, LinearObjective.Sigmoid, settings.TagTraining, dimensions);
        final.Temperature = temperature;
        if (tiny)
            return final;
        var probabilities = logits.Select(l =>
        {
            var p = new float[labels];
            probe.Probabilities(l, temperature, p);
            return p;
        }).ToList();
        final.DecisionThreshold = TagThresholds.Shared(probabilities, heldTargets, labels);
        if (settings.PerTagThresholds)
            final.LabelThresholds = TagThresholds.PerLabel(probabilities, heldTargets, labels, final.DecisionThreshold.Value);
        return final;
    }

    /// <summary>One seeded held-out share (<paramref name="folds"/> = 1), or a seeded split into that many folds.</summary>
    private static int[][] Folds(int count, int folds, int heldOutCount, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return folds == 1
            ? [order[..heldOutCount]]
            : Enumerable.Range(0, folds).Select(f => order.Where((_, i) => i % folds == f).ToArray()).ToArray();
    }

    /// <summary>Per fold, a probe trained on the rest scores the fold; returns the last probe (same shape as all of them) and the scores.</summary>
    private static (LinearModel Probe, List<float[]> Logits, List<int[]> Targets) OutOfFold(List<SparseVector> x, List<int[]> y, int labels, LinearObjective objective,
        TrainingSettings training, int dimensions, int[][] folds)
    {
        var logits = new List<float[]>();
        var targets = new List<int[]>();
        LinearModel? probe = null;
        foreach (var heldOut in folds)
        {
            var held = heldOut.ToHashSet();
            var fit = Enumerable.Range(0, x.Count).Where(i => !held.Contains(i)).ToList();
            probe = LinearModel.Train(fit.Select(i => x[i]).ToList(), fit.Select(i => y[i]).ToList(), labels, objective, training, dimensions);
            logits.AddRange(heldOut.Select(i => probe.Logits(x[i])));
            targets.AddRange(heldOut.Select(i => y[i]));
        }
        return (probe!, logits, targets);
    }

    private static int ArgMax(ReadOnlySpan<float> p)
    {
        var best = 0;
        for (var i = 1; i < p.Length; i++)
        {
            if (p[i] > p[best])
                best = i;
        }
        return best;
    }

    public Classification Classify(string text)
    {
        var x = _features.Transform(text);
        LabelScore? intent = null;
        IReadOnlyList<LabelScore> ranking = [];
        var outOfScope = false;
        if (_intentModel is not null)
        {
            var p = _intentModel.Predict(x);
            ranking = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).Take(5).Select(i => new LabelScore(_intents[i], Math.Round(p[i], 4))).ToList();
            intent = ranking[0];
            var top = ArgMax(p);
            outOfScope = top == _outOfScope || p[top] < RejectThreshold;
        }
        IReadOnlyList<LabelScore> tags = [];
        if (_tagModel is not null)
        {
            var p = _tagModel.Predict(ClassifierFeatures.ScaleDense(x, TagScale));
            tags = Enumerable.Range(0, p.Length).Where(i => p[i] >= TagThreshold(i)).OrderByDescending(i => p[i])
                .Select(i => new LabelScore(_tags[i], Math.Round(p[i], 4))).ToList();
        }
        return new Classification(intent, tags, ranking) { OutOfScope = outOfScope };
    }

    private double TagThreshold(int tag) => _tagModel!.LabelThresholds?[tag] ?? _tagModel.DecisionThreshold ?? _tagThreshold;

    /// <summary>The tags above their cut-offs, without the intent.</summary>
    public IReadOnlyList<string> PredictTags(string text)
    {
        if (_tagModel is null)
            return [];
        var p = _tagModel.Predict(ClassifierFeatures.ScaleDense(_features.Transform(text), TagScale));
        return Enumerable.Range(0, p.Length).Where(i => p[i] >= TagThreshold(i)).Select(i => _tags[i]).ToList();
    }

    /// <summary>The top intent, its calibrated and raw (temperature 1) probability, and whether it is rejected as out of scope.</summary>
    public IntentPrediction PredictIntent(string text)
    {
        var x = _features.Transform(text);
        var logits = _intentModel!.Logits(x);
        var p = new float[_intents.Length];
        _intentModel.Probabilities(logits, _intentModel.Temperature, p);
        var best = ArgMax(p);
        var calibrated = p[best];
        _intentModel.Probabilities(logits, 1f, p);
        return new IntentPrediction(_intents[best], calibrated, p[best], best == _outOfScope || calibrated < RejectThreshold);
    }
}

/// <summary>The top intent with its calibrated probability, the same before temperature scaling, and the out-of-scope verdict.</summary>
internal readonly record struct IntentPrediction(string Intent, float Confidence, float RawConfidence, bool OutOfScope);
