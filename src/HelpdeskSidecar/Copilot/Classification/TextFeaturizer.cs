using System.Runtime.InteropServices;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// Turns a short customer message into a TF-IDF vector over hashed features: word unigrams and bigrams (stop
/// words kept: "can't" and "how do I" carry intent) and character 2–5-grams over the space-joined words, across word
/// boundaries (they catch typos and word forms: "recieved", "refunded", and Arabic dialect spellings and clitics;
/// chosen over 3–5 inside words on ArBanking77 MSA → Palestinian, 0.69 → 0.71, banking77 unchanged). Each block is L2-normalized on its own, so that the many
/// character n-grams do not drown the few words; the whole vector has unit length.
/// </summary>
internal sealed class TextFeaturizer
{
    public const int Bits = 17;
    public const int Dimensions = 1 << Bits;
    private const uint WordSeed = 2166136261u;
    private const uint BigramSeed = 0x9E3779B1u;
    private const uint CharSeed = 0x85EBCA77u;

    public const int MinCharGram = 2;
    public const int MaxCharGram = 5;

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
            wordScale = wordNorm > 0 ? (float)(1 / Math.Sqrt(wordNorm)) : 0;
            charScale = charNorm > 0 ? (float)(1 / Math.Sqrt(charNorm)) : 0;
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
        var words = QueryText.Tokens(FoldArabic(text)).ToList();
        string? previous = null;
        foreach (var word in words)
        {
            Add(counts, Hash(word, WordSeed));
            if (previous is not null)
                Add(counts, Hash(previous + " " + word, BigramSeed));
            previous = word;
        }
        // Character n-grams run across word boundaries: a clitic written apart in a dialect still shares its pieces.
        if (words.Count > 0)
        {
            var padded = " " + string.Join(' ', words) + " ";
            for (var n = MinCharGram; n <= MaxCharGram; n++)
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

    /// <summary>
    /// Arabic spelling variation that carries no meaning, folded away before tokenizing: short-vowel marks and tatweel
    /// dropped (they are not letters, so they would otherwise split a word in two), hamza forms of alef to bare alef,
    /// alef maqsura to ya, ta marbuta to ha, hamza on waw/ya to the bare letter, Persian kaf/ya to Arabic, Arabic-Indic
    /// digits to ASCII. Dialects and informal writing vary exactly here. Text without Arabic is returned as it is.
    /// </summary>
    internal static string FoldArabic(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0600', '\u06FF'))
            return text;
        var folded = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case >= '\u064B' and <= '\u065F' or '\u0670' or '\u0640':
                    continue;
                case '\u0623' or '\u0625' or '\u0622' or '\u0671':
                    folded.Append('\u0627');
                    break;
                case '\u0649' or '\u06CC' or '\u0626':
                    folded.Append('\u064A');
                    break;
                case '\u0629':
                    folded.Append('\u0647');
                    break;
                case '\u0624':
                    folded.Append('\u0648');
                    break;
                case '\u06A9':
                    folded.Append('\u0643');
                    break;
                case >= '\u0660' and <= '\u0669':
                    folded.Append((char)('0' + (c - '\u0660')));
                    break;
                case >= '\u06F0' and <= '\u06F9':
                    folded.Append((char)('0' + (c - '\u06F0')));
                    break;
                default:
                    folded.Append(c);
                    break;
            }
        }
        return folded.ToString();
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
