using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>The policy fields of one chunk, as the in-process scan checks them.</summary>
internal readonly record struct ChunkPolicy(KnowledgeTier Tier, string Locale, string? Brand, KnowledgeVisibility Visibility);

/// <summary>
/// Every chunk's vector in one contiguous array, scanned with SIMD dot products (System.Numerics.Tensors).
/// The policy filter is checked per row during the scan, so a filtered query still fills its k from the
/// chunks it may see. Built from SQLite when first needed and rebuilt after the index changes.
/// </summary>
internal sealed class DenseVectorStore
{
    private readonly float[] _vectors;
    private readonly long[] _chunkIds;
    private readonly byte[] _tiers;
    private readonly byte[] _visibility;
    private readonly int[] _locales;
    private readonly int[] _brands;
    private readonly string[] _localeNames;
    private readonly string[] _brandNames;

    public DenseVectorStore(int dimensions, IReadOnlyList<(long ChunkId, ChunkPolicy Policy, float[] Vector)> rows)
    {
        Dimensions = dimensions;
        _vectors = new float[rows.Count * dimensions];
        _chunkIds = new long[rows.Count];
        _tiers = new byte[rows.Count];
        _visibility = new byte[rows.Count];
        _locales = new int[rows.Count];
        _brands = new int[rows.Count];
        var locales = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var brands = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var (id, policy, vector) = rows[i];
            vector.AsSpan(0, dimensions).CopyTo(_vectors.AsSpan(i * dimensions));
            _chunkIds[i] = id;
            _tiers[i] = (byte)policy.Tier;
            _visibility[i] = (byte)policy.Visibility;
            _locales[i] = Intern(locales, policy.Locale);
            _brands[i] = policy.Brand is null ? -1 : Intern(brands, policy.Brand);
        }
        _localeNames = locales.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        _brandNames = brands.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
    }

    public int Dimensions { get; }

    public int Count => _chunkIds.Length;

    private static int Intern(Dictionary<string, int> table, string value)
    {
        if (!table.TryGetValue(value, out var id))
            table[value] = id = table.Count;
        return id;
    }

    /// <summary>The <paramref name="k"/> chunks most similar to <paramref name="query"/> among those the filter allows, best first.</summary>
    public IReadOnlyList<(long ChunkId, float Score)> Search(ReadOnlySpan<float> query, RetrievalScope scope, string locale, int k)
    {
        if (k <= 0 || Count == 0 || query.Length != Dimensions)
            return [];
        var tierAllowed = new bool[4];
        foreach (var tier in scope.Tiers)
            tierAllowed[(int)tier] = true;
        var localeId = Array.FindIndex(_localeNames, n => string.Equals(n, locale, StringComparison.OrdinalIgnoreCase));
        if (localeId < 0)
            return [];
        var brandId = scope.Brand is null ? -1 : Array.IndexOf(_brandNames, scope.Brand);
        var maxVisibility = (byte)scope.Visibility;

        // A bounded min-heap keeps the best k without sorting every score.
        var heap = new PriorityQueue<int, float>(k + 1);
        var vectors = _vectors.AsSpan();
        for (var i = 0; i < _chunkIds.Length; i++)
        {
            if (!tierAllowed[_tiers[i]] || _locales[i] != localeId || _visibility[i] > maxVisibility)
                continue;
            // A chunk without a brand serves every brand; a branded chunk only a query for that brand.
            if (_brands[i] >= 0 && _brands[i] != brandId)
                continue;
            var score = TensorPrimitives.Dot(vectors.Slice(i * Dimensions, Dimensions), query);
            if (heap.Count < k)
                heap.Enqueue(i, score);
            else if (heap.TryPeek(out _, out var worst) && score > worst)
                heap.EnqueueDequeue(i, score);
        }
        var result = new (long, float)[heap.Count];
        for (var j = result.Length - 1; j >= 0; j--)
        {
            heap.TryDequeue(out var row, out var score);
            result[j] = (_chunkIds[row], score);
        }
        return result;
    }

    public static float[] ToVector(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    public static byte[] ToBlob(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();
}
