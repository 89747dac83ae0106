using System.Text;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// BM25 sparse vectors computed on our side, with the embedded index's terms and weights so that Qdrant's sparse side
/// ranks like the embedded lexical side: a term (a Porter stem, or a pair "stem1 stem2") is indexed by a stable hash
/// of its string; a document's value is BM25's saturated term frequency with title, heading path and body weighted as
/// in <see cref="EmbeddedSearchIndex.ChunkTerms"/> and the embedded k1 and b; a query's value is the term's weight
/// from <see cref="KnowledgeIndex.WeightedQueryTerms"/> (words 1, pairs <see cref="KnowledgeIndex.PairWeight"/>).
/// The collection's <c>modifier: idf</c> lets Qdrant supply the inverse document frequency at query time.
/// </summary>
internal static class SparseTerms
{
    /// <summary>
    /// Version of how the vectors are computed, recorded in the collection's metadata: points written under another
    /// version are pushed again (1 was the light stemmer, b 0.75, no pairs or field weights; 2 is this).
    /// </summary>
    public const int Scheme = 2;

    /// <summary>
    /// Typical chunk length in tokens (title, heading path and body, stop words included); a fixed stand-in for the
    /// corpus average, so a chunk's vector never changes with its neighbours. doc2dial's chunks average 184; using
    /// that instead changed the tune slice's R@1 by one query (docs/benchmarks.md), so the old figure stayed.
    /// </summary>
    public const float AverageLength = 120;

    public static SparseVector ForDocument(string title, string headingPath, string text)
    {
        var (frequencies, length) = EmbeddedSearchIndex.ChunkTerms(title, headingPath, text, pairs: KnowledgeIndex.PairWeight > 0);
        return Build(frequencies.Select(t => (Index(t.Key), EmbeddedSearchIndex.Impact(t.Value, length, AverageLength))));
    }

    public static SparseVector ForQuery(IEnumerable<WeightedTerm> terms) => Build(terms.Select(t => (Index(t.Term), t.Weight)));

    /// <summary>FNV-1a (32 bit) of the term's UTF-8 bytes: stable across processes and machines (string.GetHashCode is not).</summary>
    public static uint Index(string term)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(term))
            hash = unchecked((hash ^ b) * 16777619u);
        return hash;
    }

    /// <summary>Sorted, unique indices: two terms whose hashes collide share one index and add up.</summary>
    private static SparseVector Build(IEnumerable<(uint Index, float Value)> entries)
    {
        var summed = new SortedDictionary<uint, float>();
        foreach (var (index, value) in entries)
            summed[index] = summed.GetValueOrDefault(index) + value;
        return new SparseVector([.. summed.Keys], [.. summed.Values]);
    }
}

/// <summary>Qdrant's sparse vector: unique indices and their values, the same length.</summary>
internal sealed record SparseVector(uint[] Indices, float[] Values)
{
    public static readonly SparseVector Empty = new([], []);

    public bool IsEmpty => Indices.Length == 0;
}
