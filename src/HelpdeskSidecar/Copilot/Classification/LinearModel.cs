using System.Numerics;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>How the outputs of a <see cref="LinearModel"/> relate: one label among many, or each label on its own.</summary>
internal enum LinearObjective
{
    /// <summary>Multinomial logistic regression: the probabilities sum to one.</summary>
    Softmax,

    /// <summary>One-vs-rest logistic regressions: a probability per label (multi-label tags).</summary>
    Sigmoid,
}

internal sealed record TrainingSettings(int Epochs = 6, float LearningRate = 0.07f, float L2 = 1e-6f, int Seed = 17, bool Hinge = false);

/// <summary>
/// A linear model over hashed sparse features, trained by stochastic gradient descent with AdaGrad step sizes
/// (each weight gets its own step, large for rare features, so few epochs suffice). Weights are stored
/// feature-major (the labels of one feature side by side) so that a sparse example touches contiguous memory
/// and the label loop runs in SIMD.
/// </summary>
internal sealed class LinearModel
{
    private readonly int _labels;
    private readonly int _stride;
    private readonly float[] _weights;
    private readonly float[] _bias;

    private LinearModel(int labels, LinearObjective objective, int dimensions)
    {
        _labels = labels;
        // Pad each feature row to whole SIMD vectors.
        _stride = (labels + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        _weights = new float[dimensions * _stride];
        _bias = new float[_stride];
        Objective = objective;
    }

    public LinearObjective Objective { get; }

    public int Labels => _labels;

    /// <summary>Scales scores before the softmax/sigmoid; fitted on held-out data for calibration.</summary>
    public float Temperature { get; set; } = 1f;

    /// <summary>For <see cref="LinearObjective.Sigmoid"/>: the probability at which a label is predicted, when fitted.</summary>
    public float? DecisionThreshold { get; set; }

    /// <summary>For <see cref="LinearObjective.Sigmoid"/>: a cut-off per label where one was fitted (else <see cref="DecisionThreshold"/>).</summary>
    public float[]? LabelThresholds { get; set; }

    /// <param name="targets">Per example: the gold label indices (exactly one for softmax; any number for sigmoid).</param>
    /// <param name="dimensions">Feature indices run from 0 to this (hashed sparse features, then any dense ones).</param>
    public static LinearModel Train(IReadOnlyList<SparseVector> examples, IReadOnlyList<int[]> targets, int labels, LinearObjective objective, TrainingSettings settings,
        int dimensions = TextFeaturizer.Dimensions)
    {
        var model = new LinearModel(labels, objective, dimensions);
        var stride = model._stride;
        var sumSq = new float[model._weights.Length];
        var biasSumSq = new float[stride];
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(settings.Seed);
        var scores = new float[stride];
        var gradient = new float[stride];
        var lr = new Vector<float>(settings.LearningRate);
        var eps = new Vector<float>(1e-6f);
        var l2 = new Vector<float>(settings.L2);
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var e in order)
            {
                var x = examples[e];
                model.Scores(x, scores);
                if (settings.Hinge && objective == LinearObjective.Softmax)
                    model.HingeGradient(scores, targets[e][0], gradient);
                else
                    model.Gradient(scores, targets[e], gradient);
                var g = new Span<float>(gradient);
                for (var i = 0; i < x.Count; i++)
                {
                    var row = x.Indices[i] * stride;
                    var value = new Vector<float>(x.Values[i]);
                    for (var c = 0; c < stride; c += Vector<float>.Count)
                    {
                        var w = new Vector<float>(model._weights, row + c);
                        var grad = new Vector<float>(g[c..]) * value + l2 * w;
                        var acc = new Vector<float>(sumSq, row + c) + grad * grad;
                        acc.CopyTo(sumSq, row + c);
                        (w - lr * grad / (Vector.SquareRoot(acc) + eps)).CopyTo(model._weights, row + c);
                    }
                }
                for (var c = 0; c < stride; c += Vector<float>.Count)
                {
                    var grad = new Vector<float>(g[c..]);
                    var acc = new Vector<float>(biasSumSq, c) + grad * grad;
                    acc.CopyTo(biasSumSq, c);
                    (new Vector<float>(model._bias, c) - lr * grad / (Vector.SquareRoot(acc) + eps)).CopyTo(model._bias, c);
                }
            }
        }
        return model;
    }

    /// <summary>Raw scores (logits) per label into <paramref name="scores"/> (length ≥ the padded label count).</summary>
    public void Scores(SparseVector x, Span<float> scores)
    {
        var stride = _stride;
        _bias.CopyTo(scores);
        for (var i = 0; i < x.Count; i++)
        {
            var row = x.Indices[i] * stride;
            var value = new Vector<float>(x.Values[i]);
            for (var c = 0; c < stride; c += Vector<float>.Count)
                (new Vector<float>(scores[c..]) + new Vector<float>(_weights, row + c) * value).CopyTo(scores[c..]);
        }
    }

    /// <summary>Calibrated probabilities per label.</summary>
    public float[] Predict(SparseVector x) => Predict(x, Temperature);

    /// <summary>Probabilities per label at the given temperature (1: the model's raw, uncalibrated ones).</summary>
    public float[] Predict(SparseVector x, float temperature)
    {
        var probabilities = new float[_labels];
        Probabilities(Logits(x), temperature, probabilities);
        return probabilities;
    }

    /// <summary>The raw scores of one example (padded to the SIMD stride).</summary>
    public float[] Logits(SparseVector x)
    {
        var scores = new float[_stride];
        Scores(x, scores);
        return scores;
    }

    internal void Probabilities(ReadOnlySpan<float> scores, float temperature, Span<float> probabilities)
    {
        if (Objective == LinearObjective.Sigmoid)
        {
            for (var c = 0; c < _labels; c++)
                probabilities[c] = 1f / (1f + MathF.Exp(-scores[c] / temperature));
            return;
        }
        var max = float.MinValue;
        for (var c = 0; c < _labels; c++)
            max = Math.Max(max, scores[c]);
        var sum = 0f;
        for (var c = 0; c < _labels; c++)
        {
            probabilities[c] = MathF.Exp((scores[c] - max) / temperature);
            sum += probabilities[c];
        }
        for (var c = 0; c < _labels; c++)
            probabilities[c] /= sum;
    }

    /// <summary>Gradient of the log loss with respect to the scores, into <paramref name="gradient"/> (padding left at zero).</summary>
    private void Gradient(ReadOnlySpan<float> scores, int[] target, Span<float> gradient)
    {
        gradient.Clear();
        Probabilities(scores, 1f, gradient);
        foreach (var t in target)
            gradient[t] -= 1f;
    }

    /// <summary>Crammer–Singer multi-class hinge: push the gold score a margin of 1 above the best wrong one.</summary>
    private void HingeGradient(ReadOnlySpan<float> scores, int target, Span<float> gradient)
    {
        gradient.Clear();
        var rival = -1;
        for (var c = 0; c < _labels; c++)
        {
            if (c != target && (rival < 0 || scores[c] > scores[rival]))
                rival = c;
        }
        if (scores[target] - scores[rival] >= 1f)
            return;
        gradient[target] = -1f;
        gradient[rival] = 1f;
    }

    /// <summary>
    /// For multi-label output: the single probability cut-off that maximises micro-F1 on held-out examples (with the
    /// fitted temperature). Rare labels seldom reach 0.5 when they have few examples; this finds where they do.
    /// </summary>
    public float FitDecisionThreshold(IReadOnlyList<SparseVector> heldOut, IReadOnlyList<int[]> targets)
    {
        var probabilities = heldOut.Select(x => Predict(x)).ToList();
        var best = (Threshold: 0.5f, F1: -1.0);
        for (var th = 0.05f; th < 0.951f; th += 0.05f)
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < probabilities.Count; i++)
            {
                for (var c = 0; c < _labels; c++)
                {
                    var predicted = probabilities[i][c] >= th;
                    var gold = targets[i].Contains(c);
                    tp += predicted && gold ? 1 : 0;
                    fp += predicted && !gold ? 1 : 0;
                    fn += !predicted && gold ? 1 : 0;
                }
            }
            var f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            if (f1 > best.F1)
                best = (th, f1);
        }
        DecisionThreshold = best.Threshold;
        return best.Threshold;
    }

    /// <summary>
    /// Temperature scaling (Guo et al., 2017): the one scalar that minimises the log loss on held-out examples.
    /// It changes no ranking, only how sure the probabilities say the model is.
    /// </summary>
    public float FitTemperature(IReadOnlyList<SparseVector> heldOut, IReadOnlyList<int[]> targets) =>
        FitTemperature(heldOut.Select(Logits).ToList(), targets);

    /// <summary>As above, on scores already computed (by this model or by probes of the same shape, one per fold).</summary>
    public float FitTemperature(IReadOnlyList<float[]> logits, IReadOnlyList<int[]> targets)
    {
        var probabilities = new float[_labels];
        var best = (T: 1f, Loss: double.MaxValue);
        // From 0.01: a hinge-trained model on a small history has scores far below 1, and needs a temperature well under 0.05.
        for (var t = 0.01f; t <= 5f; t *= 1.02f)
        {
            double loss = 0;
            for (var i = 0; i < logits.Count; i++)
            {
                Probabilities(logits[i], t, probabilities);
                if (Objective == LinearObjective.Softmax)
                {
                    loss -= Math.Log(Math.Max(1e-9, probabilities[targets[i][0]]));
                    continue;
                }
                for (var c = 0; c < _labels; c++)
                    loss -= Math.Log(Math.Max(1e-9, targets[i].Contains(c) ? probabilities[c] : 1 - probabilities[c]));
            }
            if (loss < best.Loss)
                best = (t, loss);
        }
        Temperature = best.T;
        return best.T;
    }
}
