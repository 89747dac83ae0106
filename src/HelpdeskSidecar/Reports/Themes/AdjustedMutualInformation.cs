namespace HelpdeskSidecar.Reports.Themes;

/// <summary>How the mutual information is normalised: by the mean of the two entropies (scikit-learn's default) or the larger.</summary>
internal enum AmiNormalization
{
    Arithmetic,
    Max,
}

/// <summary>
/// Adjusted mutual information between two labellings of the same items (Vinh, Epps &amp; Bailey, JMLR 2010):
/// <c>AMI = (MI − E[MI]) / (norm(H(U), H(V)) − E[MI])</c>, with E[MI] the expected mutual information of two random
/// labellings with the same cluster sizes (the hypergeometric model), natural logarithms. The default normalisation is
/// the arithmetic mean of the entropies, as scikit-learn's <c>adjusted_mutual_info_score</c> (average_method='arithmetic');
/// <see cref="AmiNormalization.Max"/> gives the original paper's AMI_max. 1 for identical partitions, about 0 for chance,
/// negative when worse than chance; the edge cases follow scikit-learn (both labellings one cluster: 1).
/// </summary>
internal static class AdjustedMutualInformation
{
    public static double Score<TU, TV>(IReadOnlyList<TU> truth, IReadOnlyList<TV> predicted, AmiNormalization normalization = AmiNormalization.Arithmetic)
        where TU : notnull where TV : notnull
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException("Both labellings must cover the same items.", nameof(predicted));
        var n = truth.Count;
        var u = Indexed(truth);
        var v = Indexed(predicted);
        var (rows, columns) = n == 0 ? (0, 0) : (u.Max() + 1, v.Max() + 1);
        if (n == 0 || (rows == 1 && columns == 1))
            return 1.0; // scikit-learn: neither labelling splits the items, a perfect match
        var table = new Dictionary<(int, int), int>();
        var a = new int[rows];
        var b = new int[columns];
        for (var i = 0; i < n; i++)
        {
            table[(u[i], v[i])] = table.GetValueOrDefault((u[i], v[i])) + 1;
            a[u[i]]++;
            b[v[i]]++;
        }
        var mi = 0.0;
        foreach (var ((i, j), nij) in table)
            mi += (double)nij / n * Math.Log((double)n * nij / ((double)a[i] * b[j]));
        var (hu, hv) = (Entropy(a, n), Entropy(b, n));
        var emi = ExpectedMutualInformation(a, b, n);
        var normalizer = normalization == AmiNormalization.Max ? Math.Max(hu, hv) : (hu + hv) / 2;
        var denominator = normalizer - emi;
        // scikit-learn guards the denominator the same way, keeping its sign.
        denominator = denominator < 0 ? Math.Min(denominator, -double.Epsilon) : Math.Max(denominator, double.Epsilon);
        return (mi - emi) / denominator;
    }

    public static double Entropy(IReadOnlyList<int> sizes, int n) =>
        -sizes.Where(s => s > 0).Sum(s => (double)s / n * Math.Log((double)s / n));

    /// <summary>
    /// E[MI] = Σ_i Σ_j Σ_{nij} nij/N · log(N·nij / (a_i·b_j)) · P(nij), P hypergeometric:
    /// a_i! b_j! (N−a_i)! (N−b_j)! / (N! nij! (a_i−nij)! (b_j−nij)! (N−a_i−b_j+nij)!), through a table of log-factorials.
    /// </summary>
    public static double ExpectedMutualInformation(IReadOnlyList<int> a, IReadOnlyList<int> b, int n)
    {
        var logFactorial = new double[n + 1];
        for (var k = 2; k <= n; k++)
            logFactorial[k] = logFactorial[k - 1] + Math.Log(k);
        var emi = 0.0;
        foreach (var ai in a)
        {
            foreach (var bj in b)
            {
                var constant = logFactorial[ai] + logFactorial[bj] + logFactorial[n - ai] + logFactorial[n - bj] - logFactorial[n];
                for (var nij = Math.Max(1, ai + bj - n); nij <= Math.Min(ai, bj); nij++)
                {
                    var logP = constant - logFactorial[nij] - logFactorial[ai - nij] - logFactorial[bj - nij] - logFactorial[n - ai - bj + nij];
                    emi += (double)nij / n * Math.Log((double)n * nij / ((double)ai * bj)) * Math.Exp(logP);
                }
            }
        }
        return emi;
    }

    private static int[] Indexed<T>(IReadOnlyList<T> labels) where T : notnull
    {
        var index = new Dictionary<T, int>();
        return labels.Select(l => index.TryGetValue(l, out var i) ? i : index[l] = index.Count).ToArray();
    }
}
