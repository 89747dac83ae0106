namespace HelpdeskSidecar.Reports;

/// <summary>The one percentile the project reports (latency in reports, evaluations and benchmarks).</summary>
internal static class Percentiles
{
    /// <summary>Nearest rank: the smallest value with at least <paramref name="fraction"/> of the values at or below it; 0 when empty.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
