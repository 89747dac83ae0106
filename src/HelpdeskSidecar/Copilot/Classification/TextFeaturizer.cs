using System.Runtime.InteropServices;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// Turns a short customer message into a TF-IDF vector over hashed features: word unigrams and bigrams (stop
/// words kept: "can't" and "how do I" carry intent) and character 3–5-grams inside padded words (they catch
/// typos and word forms: "recieved", "refunded"). Each block is L2-normalized on its own, so that the many
/// character n-grams do not drown the few words; the whole vector has unit length.
/// </summary>
internal sealed class TextFeaturizer
{
    public const int Bits = 17;
    public const int Dimensions = 1 << Bits;
    private const uint WordSeed = 2166136261u;
    private const uint BigramSeed = 0x9E3779B1u;
    private const uint CharSeed = 0x85EBCA77u;

    private readonly float[] _idf;

    private TextFeaturizer(float[] idf) => _idf = idf;

    /// <summary>Learns inverse document frequencies from the training texts (smoothed, as in scikit-learn).</summary>
    public static TextFeaturizer Fit(IReadOnlyList<string> texts)
    {
        var df = new int[Dimensions];
        foreach (var text in texts)
        {
            foreach (var (index, _) in Counts(text, out _))
                df[index]++;
        }
        var idf = new float[Dimensions];
        var n = texts.Count;
        for (var i = 0; i < Dimensions; i++)
            idf[i] = (float)(Math.Log((1.0 + n) / (1.0 + df[i])) + 1.0);
        return new TextFeaturizer(idf);
    }

    public SparseVector Transform(string text)
    {
        var counts = Counts(text, out var isChar);
        var indices = new int[counts.Count];
        var values = new float[counts.Count];
        double wordNorm = 0, charNorm = 0;
        var k = 0;
        foreach (var (index, count) in counts)
        {
            var v = (float)((1 + Math.Log(count)) * _idf[index]);
            indices[k] = index;
            values[k] = v;
            if (isChar.Contains(index))
                charNorm += v * v;
            else
                wordNorm += v * v;
            k++;
        }
        var wordScale = wordNorm > 0 ? (float)(1 / Math.Sqrt(2 * wordNorm)) : 0;
        var charScale = charNorm > 0 ? (float)(1 / Math.Sqrt(2 * charNorm)) : 0;
        if (wordNorm == 0 || charNorm == 0)
        {
            wordScale *= MathF.Sqrt(2);
            charScale *= MathF.Sqrt(2);
        }
        for (var i = 0; i < indices.Length; i++)
            values[i] *= isChar.Contains(indices[i]) ? charScale : wordScale;
        return new SparseVector(indices, values);
    }

    /// <summary>Raw counts per hashed feature; <paramref name="isChar"/> marks the character block.</summary>
    private static Dictionary<int, int> Counts(string text, out HashSet<int> isChar)
    {
        var counts = new Dictionary<int, int>();
        isChar = [];
        var words = QueryText.Tokens(text).ToList();
        string? previous = null;
        foreach (var word in words)
        {
            Add(counts, Hash(word, WordSeed));
            if (previous is not null)
                Add(counts, Hash(previous + " " + word, BigramSeed));
            previous = word;

            var padded = " " + word + " ";
            for (var n = 3; n <= 5; n++)
            {
                for (var start = 0; start + n <= padded.Length; start++)
                {
                    var index = Hash(padded.AsSpan(start, n), CharSeed + (uint)n);
                    Add(counts, index);
                    isChar.Add(index);
                }
            }
        }
        return counts;
    }

    private static void Add(Dictionary<int, int> counts, int index) =>
        CollectionsMarshal.GetValueRefOrAddDefault(counts, index, out _)++;

    /// <summary>FNV-1a over the UTF-16 code units, folded to <see cref="Bits"/> bits.</summary>
    private static int Hash(ReadOnlySpan<char> s, uint seed)
    {
        var h = seed;
        foreach (var c in s)
        {
            h ^= c;
            h *= 16777619u;
        }
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        return (int)(h & (Dimensions - 1));
    }
}
