using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Suggestions;

/// <summary>
/// How close a draft is to the reply an agent really sent: cosine similarity of their content-word counts
/// (stop words out, crude stemming). <see cref="Acceptance.Verdicts"/> turns it into a verdict with configured thresholds.
/// </summary>
internal static class ReplySimilarity
{
    public static double Cosine(string a, string b)
    {
        var va = Vector(a);
        var vb = Vector(b);
        if (va.Count == 0 || vb.Count == 0)
            return 0;
        double dot = 0;
        foreach (var (term, count) in va)
        {
            if (vb.TryGetValue(term, out var other))
                dot += count * other;
        }
        var norm = Math.Sqrt(va.Values.Sum(v => (double)v * v)) * Math.Sqrt(vb.Values.Sum(v => (double)v * v));
        return Math.Round(dot / norm, 4);
    }

    private static Dictionary<string, int> Vector(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in QueryText.Tokens(text))
        {
            if (term.Length < 3 || !QueryText.IsContentTerm(term))
                continue;
            var stem = KnowledgeIndex.Stem(term);
            counts[stem] = counts.GetValueOrDefault(stem) + 1;
        }
        return counts;
    }
}
