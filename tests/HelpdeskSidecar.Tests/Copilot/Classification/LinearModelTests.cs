using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Tests.Copilot.Classification;

public class LinearModelTests
{
    [Test]
    public void FitDecisionThreshold_NoWorseThanHalfOnTheSameExamples()
    {
        var history = IntentClassifierTests.History();
        var tags = history.SelectMany(h => h.Tags).Distinct().Order().ToList();
        var features = TextFeaturizer.Fit(history.Select(h => h.Text).ToList());
        var x = history.Select(h => features.Transform(h.Text)).ToList();
        var y = history.Select(h => h.Tags.Select(t => tags.IndexOf(t)).ToArray()).ToList();
        // Few epochs: an under-trained model whose probabilities sit away from 0.5, where the cut-off matters.
        var model = LinearModel.Train(x, y, tags.Count, LinearObjective.Sigmoid, new TrainingSettings(Epochs: 1, LearningRate: 0.05f));

        var threshold = model.FitDecisionThreshold(x, y);

        Assert.That(threshold, Is.InRange(0.05f, 0.95f));
        Assert.That(model.DecisionThreshold, Is.EqualTo(threshold));
        Assert.That(MicroF1(model, x, y, threshold), Is.GreaterThanOrEqualTo(MicroF1(model, x, y, 0.5f)));
        Assert.That(MicroF1(model, x, y, threshold), Is.GreaterThan(0.5));
    }

    [Test]
    public void FitTemperature_SoftmaxConfidencesSumToOne()
    {
        var history = IntentClassifierTests.History();
        var intents = history.Select(h => h.Intent!).Distinct().Order().ToList();
        var features = TextFeaturizer.Fit(history.Select(h => h.Text).ToList());
        var x = history.Select(h => features.Transform(h.Text)).ToList();
        var y = history.Select(h => new[] { intents.IndexOf(h.Intent!) }).ToList();
        var model = LinearModel.Train(x, y, intents.Count, LinearObjective.Softmax, new TrainingSettings(Hinge: true));
        var t = model.FitTemperature(x, y);
        Assert.That(t, Is.GreaterThan(0));
        var p = model.Predict(x[0]);
        Assert.That(p.Sum(), Is.EqualTo(1f).Within(1e-4));
        Assert.That(Array.IndexOf(p, p.Max()), Is.EqualTo(y[0][0]));
    }

    private static double MicroF1(LinearModel model, List<SparseVector> x, List<int[]> y, float threshold)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var p = model.Predict(x[i]);
            for (var c = 0; c < p.Length; c++)
            {
                var predicted = p[c] >= threshold;
                var gold = y[i].Contains(c);
                tp += predicted && gold ? 1 : 0;
                fp += predicted && !gold ? 1 : 0;
                fn += !predicted && gold ? 1 : 0;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
