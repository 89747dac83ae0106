namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>Cut-offs for multi-label output, chosen on probabilities of examples the model that produced them did not see.</summary>
internal static class TagThresholds
{
    /// <summary>A tag needs this many positive held-out examples before it gets a cut-off of its own; rarer ones keep the shared one.</summary>
    public const int MinPositivesForOwnThreshold = 8;

    private static readonly float[] Grid = Enumerable.Range(1, 19).Select(i => i * 0.05f).ToArray();

    /// <summary>The one cut-off that maximises micro-F1 over all labels (0.5 when nothing is predicted right anywhere).</summary>
    public static float Shared(IReadOnlyList<float[]> probabilities, IReadOnlyList<int[]> targets, int labels)
    {
        var best = (Threshold: 0.5f, F1: -1.0);
        foreach (var th in Grid)
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < probabilities.Count; i++)
            {
                for (var c = 0; c < labels; c++)
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
        return best.Threshold;
    }

    /// <summary>
    /// Per label: the cut-off that maximises that label's F1, for labels with at least <see cref="MinPositivesForOwnThreshold"/>
    /// positives; the others get <paramref name="shared"/>. Ties go to the cut-off nearest the shared one.
    /// </summary>
    public static float[] PerLabel(IReadOnlyList<float[]> probabilities, IReadOnlyList<int[]> targets, int labels, float shared)
    {
        var thresholds = new float[labels];
        for (var c = 0; c < labels; c++)
        {
            thresholds[c] = shared;
            var positives = targets.Count(t => t.Contains(c));
            if (positives < MinPositivesForOwnThreshold)
                continue;
            var best = (Threshold: shared, F1: -1.0);
            foreach (var th in Grid.OrderBy(t => Math.Abs(t - shared)))
            {
                int tp = 0, fp = 0;
                for (var i = 0; i < probabilities.Count; i++)
                {
                    if (probabilities[i][c] < th)
                        continue;
                    if (targets[i].Contains(c))
                        tp++;
                    else
                        fp++;
                }
                var f1 = tp == 0 ? 0 : 2.0 * tp / (tp + fp + positives);
                if (f1 > best.F1 + 1e-9)
                    best = (th, f1);
            }
            thresholds[c] = best.Threshold;
        }
        return thresholds;
    }
}
