using System.Text;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// BM25-like sparse vectors computed on our side: a term's index is a stable hash of its stem, a document's value is
/// BM25's saturated term frequency (k1, b, length-normalised), and the collection's <c>modifier: idf</c> lets Qdrant
/// supply the inverse document frequency at query time. Query values are 1 per distinct term.
/// </summary>
internal static class SparseTerms
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    /// <summary>Typical chunk length in terms; a fixed stand-in for the corpus average so a chunk's vector never changes with its neighbours.</summary>
    public const double AverageLength = 120;

    public static SparseVector ForDocument(string text)
    {
        var terms = QueryText.Tokens(text).Select(KnowledgeIndex.Stem).Where(t => t.Length > 1).ToList();
        if (terms.Count == 0)
            return SparseVector.Empty;
        var norm = K1 * (1 - B + B * terms.Count / AverageLength);
        var counts = new Dictionary<uint, int>();
        foreach (var term in terms)
            counts[Index(term)] = counts.GetValueOrDefault(Index(term)) + 1;
        return Build(counts.Select(c => (c.Key, (float)(c.Value * (K1 + 1) / (c.Value + norm)))));
    }

    public static SparseVector ForQuery(IEnumerable<string> terms) =>
        Build(terms.Select(KnowledgeIndex.Stem).Where(t => t.Length > 1).Select(Index).Distinct().Select(i => (i, 1f)));

    /// <summary>FNV-1a (32 bit) of the stem's UTF-8 bytes: stable across processes and machines (string.GetHashCode is not).</summary>
    public static uint Index(string stem)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(stem))
            hash = unchecked((hash ^ b) * 16777619u);
        return hash;
    }

    private static SparseVector Build(IEnumerable<(uint Index, float Value)> entries)
    {
        var sorted = entries.OrderBy(e => e.Index).ToList();
        return new SparseVector(sorted.Select(e => e.Index).ToArray(), sorted.Select(e => e.Value).ToArray());
    }
}

/// <summary>Qdrant's sparse vector: unique indices and their values, the same length.</summary>
internal sealed record SparseVector(uint[] Indices, float[] Values)
{
    public static readonly SparseVector Empty = new([], []);

    public bool IsEmpty => Indices.Length == 0;
}
