namespace HelpdeskSidecar.Reports.Themes;

/// <summary>How the clusters are merged: average cosine distance between members (UPGMA), or Ward's variance criterion.</summary>
internal enum ThemeLinkage
{
    Average,
    Ward,
}

/// <param name="DistanceThreshold">Clusters whose linkage distance exceeds this stay apart (average: mean cosine distance, 0–2).</param>
/// <param name="Themes">When set, cut the tree into this many clusters instead of at the threshold.</param>
/// <param name="Seed">Picks the sample clustered when there are more than <paramref name="MaxSample"/> texts.</param>
/// <param name="MaxSample">The agglomerative step holds an n×n matrix: above this many texts a seeded sample is clustered and the rest assigned.</param>
/// <param name="RefineIterations">k-means passes after the tree, from its centroids (also how the unsampled texts are assigned).</param>
internal sealed record ThemeClusteringSettings(
    double DistanceThreshold = 0.55, ThemeLinkage Linkage = ThemeLinkage.Average, int? Themes = null, int Seed = 77,
    int MaxSample = 4000, int RefineIterations = 5)
{
    public static readonly ThemeClusteringSettings Default = new();
}

/// <summary>
/// Groups unit-length sentence vectors: agglomerative clustering (nearest-neighbour chain, O(n²) time and memory, exact
/// for the reducible linkages used here) cut at a distance threshold, so a quiet month yields few themes and a busy one
/// more, without choosing k; then a few spherical k-means passes from the tree's centroids. Deterministic: ties go to the
/// lower index, the sample (large inputs only) comes from <see cref="ThemeClusteringSettings.Seed"/>, and clusters are
/// numbered by size (largest first), then by their first member.
/// </summary>
internal static class ThemeClustering
{
    /// <returns>One cluster number per vector, 0 being the largest cluster.</returns>
    public static int[] Cluster(IReadOnlyList<float[]> vectors, ThemeClusteringSettings settings)
    {
        var n = vectors.Count;
        if (n == 0)
            return [];
        if (n == 1)
            return [0];
        var sample = SampleOf(n, settings);
        var sampleLabels = Agglomerate(sample.Select(i => vectors[i]).ToList(), settings);
        var labels = new int[n];
        Array.Fill(labels, -1);
        for (var s = 0; s < sample.Length; s++)
            labels[sample[s]] = sampleLabels[s];
        var k = sampleLabels.Max() + 1;
        var centroids = Centroids(vectors, labels, k);
        // Unsampled vectors have no cluster yet: the first pass gives them one; with no refinement asked, one pass still runs.
        for (var pass = 0; pass < Math.Max(settings.RefineIterations, sample.Length < n ? 1 : 0); pass++)
        {
            var changed = Assign(vectors, centroids, labels);
            centroids = Centroids(vectors, labels, k);
            if (!changed)
                break;
        }
        return Renumber(labels);
    }

    private static int[] SampleOf(int n, ThemeClusteringSettings settings)
    {
        if (n <= settings.MaxSample)
            return Enumerable.Range(0, n).ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        new Random(settings.Seed).Shuffle(order);
        var sample = order[..settings.MaxSample];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>The agglomerative step: Lance–Williams updates on a full distance matrix, merges found by the nearest-neighbour chain.</summary>
    private static int[] Agglomerate(IReadOnlyList<float[]> vectors, ThemeClusteringSettings settings)
    {
        var n = vectors.Count;
        var ward = settings.Linkage == ThemeLinkage.Ward;
        var d = new float[(long)n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var cos = System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], vectors[j]);
                // Ward works on squared Euclidean distances: for unit vectors 2(1 − cos).
                var distance = Math.Max(0f, ward ? 2f * (1f - cos) : 1f - cos);
                d[(long)i * n + j] = distance;
                d[(long)j * n + i] = distance;
            }
        }
        var size = Enumerable.Repeat(1, n).ToArray();
        var active = Enumerable.Repeat(true, n).ToArray();
        var merges = new List<(int A, int B, float Height)>(n - 1);
        var chain = new List<int>();
        var remaining = n;
        while (remaining > 1)
        {
            if (chain.Count == 0)
                chain.Add(Array.IndexOf(active, true));
            var a = chain[^1];
            var previous = chain.Count > 1 ? chain[^2] : -1;
            var best = previous;
            var bestDistance = previous >= 0 ? d[(long)a * n + previous] : float.PositiveInfinity;
            for (var c = 0; c < n; c++)
            {
                if (!active[c] || c == a)
                    continue;
                var dc = d[(long)a * n + c];
                if (dc < bestDistance || (dc == bestDistance && c < best && best != previous))
                    (best, bestDistance) = (c, dc);
            }
            if (best == previous)
            {
                chain.RemoveRange(chain.Count - 2, 2);
                var (keep, drop) = a < previous ? (a, previous) : (previous, a);
                merges.Add((keep, drop, bestDistance));
                Merge(d, n, size, active, keep, drop, ward);
                remaining--;
            }
            else
            {
                chain.Add(best);
            }
        }
        return Cut(n, merges, settings);
    }

    private static void Merge(float[] d, int n, int[] size, bool[] active, int keep, int drop, bool ward)
    {
        var (ni, nj) = (size[keep], size[drop]);
        var dij = d[(long)keep * n + drop];
        for (var k = 0; k < n; k++)
        {
            if (!active[k] || k == keep || k == drop)
                continue;
            var (dik, djk) = (d[(long)keep * n + k], d[(long)drop * n + k]);
            var nk = size[k];
            var updated = ward
                ? ((ni + nk) * dik + (nj + nk) * djk - nk * dij) / (ni + nj + nk)
                : (ni * dik + nj * djk) / (ni + nj);
            d[(long)keep * n + k] = updated;
            d[(long)k * n + keep] = updated;
        }
        size[keep] = ni + nj;
        active[drop] = false;
    }

    /// <summary>
    /// The flat clusters: the merges at or under the threshold (or all but the k−1 highest), joined with union–find. The
    /// linkages are reducible, so heights never decrease up the tree and this equals cutting the dendrogram.
    /// </summary>
    private static int[] Cut(int n, List<(int A, int B, float Height)> merges, ThemeClusteringSettings settings)
    {
        var ordered = merges.OrderBy(m => m.Height).ThenBy(m => m.A).ThenBy(m => m.B).ToList();
        var take = settings.Themes is { } k
            ? Math.Clamp(n - k, 0, ordered.Count)
            : ordered.Count(m => m.Height <= settings.DistanceThreshold);
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
            return x;
        }
        foreach (var (a, b, _) in ordered.Take(take))
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb)
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
        return Renumber(Enumerable.Range(0, n).Select(Find).ToArray());
    }

    private static float[][] Centroids(IReadOnlyList<float[]> vectors, int[] labels, int k)
    {
        var dims = vectors[0].Length;
        var sums = new float[k][];
        for (var c = 0; c < k; c++)
            sums[c] = new float[dims];
        for (var i = 0; i < vectors.Count; i++)
        {
            if (labels[i] >= 0)
                System.Numerics.Tensors.TensorPrimitives.Add(sums[labels[i]], vectors[i], sums[labels[i]]);
        }
        foreach (var sum in sums)
        {
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(sum);
            if (norm > 0)
                System.Numerics.Tensors.TensorPrimitives.Divide(sum, norm, sum);
        }
        return sums;
    }

    /// <summary>Each vector to its most similar centroid (the lower cluster on a tie); an emptied cluster keeps its centroid.</summary>
    private static bool Assign(IReadOnlyList<float[]> vectors, float[][] centroids, int[] labels)
    {
        var changed = false;
        for (var i = 0; i < vectors.Count; i++)
        {
            var (best, bestCos) = (-1, float.NegativeInfinity);
            for (var c = 0; c < centroids.Length; c++)
            {
                var cos = System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], centroids[c]);
                if (cos > bestCos)
                    (best, bestCos) = (c, cos);
            }
            changed |= labels[i] != best;
            labels[i] = best;
        }
        return changed;
    }

    /// <summary>Cluster numbers 0.. by size, largest first; equal sizes by their first member.</summary>
    private static int[] Renumber(int[] labels)
    {
        var order = labels.Select((label, i) => (label, i))
            .GroupBy(x => x.label)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(x => x.i))
            .Select((g, rank) => (g.Key, rank))
            .ToDictionary(x => x.Key, x => x.rank);
        return labels.Select(l => order[l]).ToArray();
    }
}
