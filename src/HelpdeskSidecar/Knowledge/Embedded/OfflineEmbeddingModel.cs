using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>
/// A dense text representation that needs no download: stemmed words and the character 4-grams inside them are
/// hashed, weighted by sublinear term frequency × inverse document frequency learned from the indexed corpus,
/// and projected (signed feature hashing, two slots per feature) onto <see cref="Dimensions"/> floats, L2-normalised.
/// The character grams let "renewal" meet "renew" and "licence" meet "license", which BM25's exact terms miss.
/// Immutable: refitting makes a new model.
/// </summary>
internal sealed class OfflineEmbeddingModel
{
    public const string Name = "offline-hashed-v1";
    public const int Dimensions = 512;
    private const int BucketBits = 18;
    private const int Buckets = 1 << BucketBits;
    private const float CharGramWeight = 0.6f;

    private readonly int[] _documentFrequency;
    private readonly int _documents;

    private OfflineEmbeddingModel(int[] documentFrequency, int documents)
    {
        _documentFrequency = documentFrequency;
        _documents = documents;
    }

    /// <summary>Before any corpus is seen every feature weighs the same.</summary>
    public static OfflineEmbeddingModel Untrained { get; } = new(new int[Buckets], 0);

    public int Documents => _documents;

    public static OfflineEmbeddingModel Fit(IEnumerable<string> corpus)
    {
        var df = new int[Buckets];
        var documents = 0;
        var seen = new HashSet<int>();
        foreach (var text in corpus)
        {
            documents++;
            seen.Clear();
            foreach (var (hash, _) in Features(text))
                seen.Add((int)(hash & (Buckets - 1)));
            foreach (var bucket in seen)
                df[bucket]++;
        }
        return new OfflineEmbeddingModel(df, documents);
    }

    public float[] Embed(string text)
    {
        var weights = new Dictionary<ulong, float>();
        foreach (var (hash, weight) in Features(text))
            weights[hash] = weights.GetValueOrDefault(hash) + weight;
        var vector = new float[Dimensions];
        foreach (var (hash, tf) in weights)
        {
            var w = (1f + MathF.Log(tf)) * Idf(hash);
            if (tf < 1f)
                w = tf * Idf(hash);
            // Two slots with independent signs: collisions then cancel rather than pile up.
            vector[(int)((hash >> 20) % (ulong)Dimensions)] += (hash & 1) == 0 ? w : -w;
            vector[(int)((hash >> 40) % (ulong)Dimensions)] += (hash & 2) == 0 ? w : -w;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private float Idf(ulong hash)
    {
        if (_documents == 0)
            return 1f;
        var df = _documentFrequency[(int)(hash & (Buckets - 1))];
        // A feature no indexed text has cannot match anything; left in, it only adds collision noise to the query.
        if (df == 0)
            return 0f;
        return MathF.Log((_documents + 1f) / (df + 0.5f));
    }

    /// <summary>Words (weight 1) and each word's character 4-grams (sharing <see cref="CharGramWeight"/>).</summary>
    private static IEnumerable<(ulong Hash, float Weight)> Features(string text)
    {
        foreach (var token in QueryText.Tokens(text))
        {
            if (!QueryText.IsContentTerm(token))
                continue;
            var stem = KnowledgeIndex.Stem(token);
            yield return (Hash('w', stem), 1f);
            var padded = "<" + token + ">";
            if (padded.Length < 5)
                continue;
            var grams = padded.Length - 3;
            for (var i = 0; i < grams; i++)
                yield return (Hash('c', padded.AsSpan(i, 4)), CharGramWeight / grams);
        }
    }

    /// <summary>FNV-1a, 64 bits: stable across processes (string.GetHashCode is not).</summary>
    private static ulong Hash(char kind, ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        hash = (hash ^ kind) * 1099511628211UL;
        foreach (var ch in text)
            hash = (hash ^ ch) * 1099511628211UL;
        // Final avalanche so that low and high bits are both usable.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }

    public byte[] Serialize()
    {
        var bytes = new byte[8 + Buckets * 4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Buckets);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), _documents);
        for (var i = 0; i < Buckets; i++)
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8 + i * 4), _documentFrequency[i]);
        return bytes;
    }

    public static OfflineEmbeddingModel Deserialize(byte[] bytes)
    {
        if (bytes.Length != 8 + Buckets * 4 || BinaryPrimitives.ReadInt32LittleEndian(bytes) != Buckets)
            return Untrained;
        var df = new int[Buckets];
        for (var i = 0; i < Buckets; i++)
            df[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8 + i * 4));
        return new OfflineEmbeddingModel(df, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
    }
}
