using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>The dense side of the snapshot: int8 codes scanned with SIMD integer dot products, in one or two stages.</summary>
internal sealed partial class EmbeddedSearchIndex
{
    /// <summary>
    /// Below this many chunks the dense search always scans every chunk (int8 codes: 100,000 chunks × 384 dimensions is
    /// 38 MB, a few milliseconds). It was 20,000 with the hashed embedder, whose chunk vectors carried 3 × their
    /// article's mean, which made article centroids good clusters; arctic-xs vectors share a large common direction and
    /// carry 1 × the mean, and on the retrieval benchmark's corpus the two-stage search found only 2% of the exact top 40.
    /// </summary>
    public const int ExactScanBelow = 250_000;

    /// <summary>How many articles' chunks the second stage of a large dense search scores (at least; 4 × k when more).</summary>
    public const int ProbeArticles = 256;

    /// <summary>
    /// The allowed rows most similar to the (unit) query vector, best first, with their approximate cosine. On a large
    /// index whose articles hold several chunks each, a two-stage search (an inverted-file search with articles as the
    /// clusters): the article centroids are scanned first, then every chunk of the <see cref="ProbeArticles"/> nearest
    /// articles. Chunk vectors carry their article's mean (see KnowledgeIndex.Vectors.cs), which is what makes the
    /// article a good cluster. <paramref name="exact"/> forces the full scan (to measure what the two stages miss).
    /// </summary>
    public IReadOnlyList<(long ChunkId, float Score)> Dense(ReadOnlySpan<float> query, bool[] allowed, int k, bool exact = false)
    {
        if (k <= 0 || Count == 0 || Dimensions == 0 || query.Length != Dimensions)
            return [];
        if (QueryCodes(query) is not ({ } q, var queryScale))
            return [];

        var heap = new PriorityQueue<int, float>(k + 1);
        void Score(int row)
        {
            if (!allowed[row] || _scales[row] == 0)
                return;
            var score = Dot(_codes.AsSpan(row * Dimensions, Dimensions), q) * _scales[row] * queryScale;
            if (heap.Count < k)
                heap.Enqueue(row, score);
            else if (heap.TryPeek(out _, out var worst) && score > worst)
                heap.EnqueueDequeue(row, score);
        }

        var probes = Math.Max(ProbeArticles, 4 * k);
        if (exact || Count < _exactScanBelow || _rowsOfUnit.Length > Count / 4 || probes >= _rowsOfUnit.Length)
        {
            for (var row = 0; row < Count; row++)
                Score(row);
        }
        else
        {
            var nearest = new PriorityQueue<int, float>(probes + 1);
            var centroids = _centroidCodes.AsSpan();
            for (var unit = 0; unit < _rowsOfUnit.Length; unit++)
            {
                // Policy fields are per article, so its first chunk speaks for it.
                if (!allowed[_firstRowOfUnit[unit]] || _centroidScales[unit] == 0)
                    continue;
                var score = Dot(centroids.Slice(unit * Dimensions, Dimensions), q) * _centroidScales[unit];
                if (nearest.Count < probes)
                    nearest.Enqueue(unit, score);
                else if (nearest.TryPeek(out _, out var worst) && score > worst)
                    nearest.EnqueueDequeue(unit, score);
            }
            while (nearest.TryDequeue(out var unit, out _))
            {
                foreach (var row in _rowsOfUnit[unit])
                    Score(row);
            }
        }
        var result = new (long, float)[heap.Count];
        for (var j = result.Length - 1; j >= 0; j--)
        {
            heap.TryDequeue(out var row, out var score);
            result[j] = (_chunkIds[row], score);
        }
        return result;
    }

    /// <summary>The query as int16: precise enough, and lets the scan multiply-add integers. 16383 keeps the sum in int32.</summary>
    private (short[]? Codes, float Scale) QueryCodes(ReadOnlySpan<float> query)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(query)); // the element of largest magnitude, with its sign
        if (max <= 0 || float.IsNaN(max))
            return (null, 0);
        var scale = max / 16383f;
        var q = new short[Dimensions];
        for (var i = 0; i < Dimensions; i++)
            q[i] = (short)MathF.Round(query[i] / scale);
        return (q, scale);
    }

    /// <summary>Symmetric int8 quantization: code = round(v / max|v| × 127); returns the scale back to float.</summary>
    internal static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(vector)); // the element of largest magnitude, with its sign
        if (max <= 0 || float.IsNaN(max))
            return 0;
        var scale = max / 127f;
        for (var i = 0; i < vector.Length; i++)
            codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127, 127);
        return scale;
    }

    /// <summary>int8 · int16 dot product: AVX2 <c>vpmaddwd</c> on 32 codes a step when the CPU has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Dot(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && codes.Length >= 32)
        {
            ref var c = ref MemoryMarshal.GetReference(codes);
            ref var q = ref MemoryMarshal.GetReference(query);
            var acc = Vector256<int>.Zero;
            for (; i + 32 <= codes.Length; i += 32)
            {
                var bytes = Vector256.LoadUnsafe(ref c, (nuint)i);
                var (low, high) = Vector256.Widen(bytes);
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(low, Vector256.LoadUnsafe(ref q, (nuint)i)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(high, Vector256.LoadUnsafe(ref q, (nuint)(i + 16))));
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < codes.Length; i++)
            sum += codes[i] * query[i];
        return sum;
    }
}
