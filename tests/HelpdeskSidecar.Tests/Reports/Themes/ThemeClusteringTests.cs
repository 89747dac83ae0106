using HelpdeskSidecar.Reports.Themes;

namespace HelpdeskSidecar.Tests.Reports.Themes;

public class ThemeClusteringTests
{
    /// <summary>Unit vectors scattered around <paramref name="centres"/> orthogonal directions, from a seeded generator.</summary>
    private static (List<float[]> Vectors, List<int> Truth) Blobs(int centres, int perCentre, double noise, int seed, int dims = 16)
    {
        var random = new Random(seed);
        var (vectors, truth) = (new List<float[]>(), new List<int>());
        for (var c = 0; c < centres; c++)
        {
            for (var i = 0; i < perCentre; i++)
            {
                var v = new float[dims];
                for (var d = 0; d < dims; d++)
                    v[d] = (float)((d == c ? 1 : 0) + noise * (random.NextDouble() - 0.5));
                var norm = (float)Math.Sqrt(v.Sum(x => x * x));
                vectors.Add(v.Select(x => x / norm).ToArray());
                truth.Add(c);
            }
        }
        // Interleave so that input order says nothing about the clusters.
        var order = Enumerable.Range(0, vectors.Count).ToArray();
        new Random(seed + 1).Shuffle(order);
        return (order.Select(i => vectors[i]).ToList(), order.Select(i => truth[i]).ToList());
    }

    [TestCase("Average", 0.5)]
    [TestCase("Ward", 1.0)]
    public void Cluster_SeparatedGroups_AreRecoveredExactly(string linkageName, double threshold)
    {
        var linkage = Enum.Parse<ThemeLinkage>(linkageName);
        var (vectors, truth) = Blobs(centres: 5, perCentre: 12, noise: 0.3, seed: 3);
        var labels = ThemeClustering.Cluster(vectors, new ThemeClusteringSettings(DistanceThreshold: threshold, Linkage: linkage));
        Assert.That(labels.Distinct().Count(), Is.EqualTo(5));
        Assert.That(AdjustedMutualInformation.Score(truth, labels), Is.EqualTo(1.0).Within(1e-9));
    }

    [Test]
    public void Cluster_ThresholdTooTight_SplitsEveryVector_TooLoose_JoinsAll()
    {
        var (vectors, _) = Blobs(centres: 3, perCentre: 5, noise: 0.3, seed: 4);
        Assert.That(ThemeClustering.Cluster(vectors, new ThemeClusteringSettings(DistanceThreshold: 1e-6, RefineIterations: 0)).Distinct().Count(), Is.EqualTo(15));
        Assert.That(ThemeClustering.Cluster(vectors, new ThemeClusteringSettings(DistanceThreshold: 2)).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Cluster_FixedCount_GivesThatManyClusters_LargestFirst()
    {
        var (vectors, _) = Blobs(centres: 6, perCentre: 8, noise: 0.4, seed: 5);
        var labels = ThemeClustering.Cluster(vectors, new ThemeClusteringSettings(Themes: 4));
        Assert.That(labels.Distinct().Order(), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        var sizes = Enumerable.Range(0, 4).Select(c => labels.Count(l => l == c)).ToList();
        Assert.That(sizes, Is.Ordered.Descending, "cluster 0 is the largest");
    }

    [Test]
    public void Cluster_SameInputAndSeed_SameLabels_EvenWhenSampling()
    {
        var (vectors, truth) = Blobs(centres: 8, perCentre: 40, noise: 0.6, seed: 6);
        var sampled = new ThemeClusteringSettings(DistanceThreshold: 0.5, Seed: 11, MaxSample: 100);
        var first = ThemeClustering.Cluster(vectors, sampled);
        var second = ThemeClustering.Cluster(vectors.Select(v => v.ToArray()).ToList(), sampled);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(first.Length, Is.EqualTo(320), "every vector gets a cluster, sampled or not");
        Assert.That(AdjustedMutualInformation.Score(truth, first), Is.GreaterThan(0.8), "the sample's clusters carry over to the rest");

        // Another seed picks another sample: still deterministic for that seed.
        var other = sampled with { Seed = 12 };
        Assert.That(ThemeClustering.Cluster(vectors, other), Is.EqualTo(ThemeClustering.Cluster(vectors, other)));
    }

    [Test]
    public void Cluster_EmptyAndSingle()
    {
        Assert.That(ThemeClustering.Cluster([], ThemeClusteringSettings.Default), Is.Empty);
        Assert.That(ThemeClustering.Cluster([[1f, 0f]], ThemeClusteringSettings.Default), Is.EqualTo(new[] { 0 }));
    }
}
