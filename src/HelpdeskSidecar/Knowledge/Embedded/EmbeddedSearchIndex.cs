using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>The policy fields of one chunk, as the in-process search checks them.</summary>
internal readonly record struct ChunkPolicy(KnowledgeTier Tier, string Locale, string? Brand, KnowledgeVisibility Visibility);

/// <summary>One chunk as the in-memory index is built from it (read from SQLite, the source of truth).</summary>
internal sealed record IndexedChunk(long ChunkId, long ArticleId, string Title, string HeadingPath, string Text, ChunkPolicy Policy, float[]? Vector);

/// <summary>A query term with its weight (newer messages weigh more) — a stemmed word, or two adjacent stemmed words.</summary>
internal readonly record struct WeightedTerm(string Term, float Weight);

/// <summary>
/// The embedded index's in-memory search structures, built once from SQLite and replaced whole when the index changes:
/// <list type="bullet">
/// <item>BM25 over an inverted index (Porter-stemmed words and adjacent word pairs; postings as arrays with the
/// term-frequency part of BM25 precomputed, so a query is one multiply-add per posting). Fields weigh as in the FTS5
/// table: title 4, heading path 2, body 1, summed before saturation as FTS5's <c>bm25()</c> does.</item>
/// <item>Dense vectors quantized to int8 (one scale per vector) in one contiguous array, scanned with SIMD
/// integer dot products: a quarter of the memory traffic of float32, which is what bounds the scan.</item>
/// <item>The policy fields per chunk, turned into an allow-list per query and checked inside both searches, so a
/// filtered query still fills its k from the chunks it may see.</item>
/// </list>
/// Immutable after construction, so any number of queries may read it at once.
/// </summary>
internal sealed class EmbeddedSearchIndex
{
    public const float K1 = 1.2f;
    public const float B = 0.75f;
    public const float TitleWeight = 4f;
    public const float HeadingWeight = 2f;

    private readonly long[] _chunkIds;
    private readonly long[] _articleIds;
    private readonly byte[] _tiers;
    private readonly byte[] _visibility;
    private readonly int[] _locales;
    private readonly int[] _brands;
    private readonly string[] _localeNames;
    private readonly string[] _brandNames;

    private readonly Postings _chunkPostings;

    /// <summary>Postings over whole articles (all their chunks as one text): evidence spread over several passages adds up.</summary>
    private readonly Postings _articlePostings;
    private readonly long[] _articleIdOfUnit;
    private readonly int[] _articleUnitOfRow;
    private readonly int[] _firstRowOfUnit;
    private readonly int[][] _rowsOfUnit;

    /// <summary>Each article's centroid (mean of its chunk vectors), int8 like the chunks: the first stage of a large dense search.</summary>
    private readonly sbyte[] _centroidCodes;
    private readonly float[] _centroidScales;

    private readonly sbyte[] _codes;
    private readonly float[] _scales;

    private readonly int _exactScanBelow;

    public EmbeddedSearchIndex(IReadOnlyList<IndexedChunk> chunks, bool pairs, int exactScanBelow = ExactScanBelow)
    {
        _exactScanBelow = exactScanBelow;
        var n = chunks.Count;
        _chunkIds = new long[n];
        _articleIds = new long[n];
        _tiers = new byte[n];
        _visibility = new byte[n];
        _locales = new int[n];
        _brands = new int[n];
        var locales = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var brands = new Dictionary<string, int>(StringComparer.Ordinal);
        Dimensions = chunks.Where(c => c.Vector is { Length: > 0 }).Select(c => c.Vector!.Length).DefaultIfEmpty(0).Min();
        _codes = new sbyte[n * Dimensions];
        _scales = new float[n];

        chunks = chunks.OrderBy(c => c.ChunkId).ToList();
        for (var i = 0; i < n; i++)
        {
            var chunk = chunks[i];
            _chunkIds[i] = chunk.ChunkId;
            _articleIds[i] = chunk.ArticleId;
            _tiers[i] = (byte)chunk.Policy.Tier;
            _visibility[i] = (byte)chunk.Policy.Visibility;
            _locales[i] = Intern(locales, chunk.Policy.Locale);
            _brands[i] = chunk.Policy.Brand is null ? -1 : Intern(brands, chunk.Policy.Brand);
            if (Dimensions > 0 && chunk.Vector is { } vector && vector.Length >= Dimensions)
                _scales[i] = Quantize(vector.AsSpan(0, Dimensions), _codes.AsSpan(i * Dimensions, Dimensions));
        }
        _localeNames = locales.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        _brandNames = brands.OrderBy(p => p.Value).Select(p => p.Key).ToArray();

        _chunkPostings = Postings.Build(n, pairs, (i, add) =>
        {
            var chunk = chunks[i];
            return add(chunk.Title, TitleWeight) + add(chunk.HeadingPath, HeadingWeight) + add(chunk.Text, 1f);
        });
        var articleUnits = new Dictionary<long, int>();
        _articleUnitOfRow = new int[n];
        var unitRows = new List<List<int>>();
        for (var i = 0; i < n; i++)
        {
            if (!articleUnits.TryGetValue(_articleIds[i], out var unit))
            {
                articleUnits[_articleIds[i]] = unit = unitRows.Count;
                unitRows.Add([]);
            }
            _articleUnitOfRow[i] = unit;
            unitRows[unit].Add(i);
        }
        _articleIdOfUnit = articleUnits.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        _firstRowOfUnit = unitRows.Select(r => r[0]).ToArray();
        _rowsOfUnit = unitRows.Select(r => r.ToArray()).ToArray();
        _centroidCodes = new sbyte[unitRows.Count * Dimensions];
        _centroidScales = new float[unitRows.Count];
        if (Dimensions > 0)
        {
            var centroid = new float[Dimensions];
            for (var unit = 0; unit < unitRows.Count; unit++)
            {
                Array.Clear(centroid);
                foreach (var row in unitRows[unit])
                {
                    if (chunks[row].Vector is { } vector && vector.Length >= Dimensions)
                        TensorPrimitives.Add(centroid, vector.AsSpan(0, Dimensions), centroid);
                }
                _centroidScales[unit] = Quantize(centroid, _centroidCodes.AsSpan(unit * Dimensions, Dimensions));
            }
        }
        _articlePostings = Postings.Build(unitRows.Count, pairs, (unit, add) =>
        {
            var rows = unitRows[unit];
            var length = add(chunks[rows[0]].Title, TitleWeight);
            foreach (var row in rows)
                length += add(chunks[row].HeadingPath == chunks[row].Title ? "" : chunks[row].HeadingPath, HeadingWeight) + add(chunks[row].Text, 1f);
            return length;
        });
    }

    public int Count => _chunkIds.Length;

    public int Dimensions { get; }

    /// <summary>The article a chunk belongs to, or null when the chunk is not in this snapshot.</summary>
    public long? ArticleOfChunk(long chunkId)
    {
        var row = Array.BinarySearch(_chunkIds, chunkId); // rows are in chunk id order (see the constructor)
        return row >= 0 ? _articleIds[row] : null;
    }

    /// <summary>How many chunks hold the term (0 when none does).</summary>
    public int DocumentFrequency(string term) => _chunkPostings.DocumentFrequency(term);

    private static int Intern(Dictionary<string, int> table, string value)
    {
        if (!table.TryGetValue(value, out var id))
            table[value] = id = table.Count;
        return id;
    }

    /// <summary>
    /// Which rows the scope allows in one locale; null when nothing is allowed (an unknown locale, say). Both searches
    /// consult it per row, so the filter costs one byte read per candidate rather than a second pass.
    /// </summary>
    public bool[]? Allowed(RetrievalScope scope, string locale)
    {
        var localeId = Array.FindIndex(_localeNames, n => string.Equals(n, locale, StringComparison.OrdinalIgnoreCase));
        if (localeId < 0 || Count == 0)
            return null;
        Span<bool> tierAllowed = stackalloc bool[4];
        foreach (var tier in scope.Tiers)
            tierAllowed[(int)tier] = true;
        var brandId = scope.Brand is null ? -1 : Array.IndexOf(_brandNames, scope.Brand);
        var maxVisibility = (byte)scope.Visibility;
        var allowed = new bool[Count];
        var any = false;
        for (var i = 0; i < allowed.Length; i++)
        {
            // A chunk without a brand serves every brand; a branded chunk only a query for that brand.
            var ok = tierAllowed[_tiers[i]] && _locales[i] == localeId && _visibility[i] <= maxVisibility && (_brands[i] < 0 || _brands[i] == brandId);
            allowed[i] = ok;
            any |= ok;
        }
        return any ? allowed : null;
    }

    /// <summary>BM25 over the allowed rows: Σ weight × IDF × saturated field-weighted term frequency. Best first.</summary>
    public IReadOnlyList<(long ChunkId, double Score)> Lexical(IReadOnlyList<WeightedTerm> terms, bool[] allowed, int k) =>
        _chunkPostings.Search(terms, row => allowed[row], k).Select(h => (_chunkIds[h.Unit], (double)h.Score)).ToList();

    /// <summary>
    /// BM25 over whole articles (an article is allowed when its first chunk is; policy fields are per article), best
    /// first, as article ids: a dialogue that touches several sections of one article scores it on all of them.
    /// </summary>
    public IReadOnlyList<(long ArticleId, double Score)> ArticleLexical(IReadOnlyList<WeightedTerm> terms, bool[] allowed, int k) => _articlePostings.Search(terms, unit => allowed[_firstRowOfUnit[unit]], k).Select(h => (_articleIdOfUnit[h.Unit], (double)h.Score)).ToList();

    /// <summary>Below this many chunks the dense search always scans every chunk.</summary>
    public const int ExactScanBelow = 20_000;

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
        // The query as int16: precise enough, and lets the scan multiply-add integers. 16383 keeps the sum in int32.
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(query)); // the element of largest magnitude, with its sign
        if (max <= 0 || float.IsNaN(max))
            return [];
        var queryScale = max / 16383f;
        var q = new short[Dimensions];
        for (var i = 0; i < Dimensions; i++)
            q[i] = (short)MathF.Round(query[i] / queryScale);

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

    /// <summary>An inverted index over units (chunks or articles): per term, the units holding it and BM25's saturated term frequency.</summary>
    private sealed class Postings
    {
        private readonly Dictionary<string, int> _termIds;
        private readonly int[][] _units;
        private readonly float[][] _impacts;
        private readonly float[] _idf;
        private readonly int _count;

        private Postings(Dictionary<string, int> termIds, int[][] units, float[][] impacts, float[] idf, int count)
        {
            _termIds = termIds;
            _units = units;
            _impacts = impacts;
            _idf = idf;
            _count = count;
        }

        public int DocumentFrequency(string term) => _termIds.TryGetValue(term, out var id) ? _units[id].Length : 0;

        /// <summary><paramref name="read"/> feeds a unit's fields to the callback (text, weight → tokens) and returns its length in tokens.</summary>
        public static Postings Build(int count, bool pairs, Func<int, Func<string, float, int>, int> read)
        {
            var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var units = new List<List<int>>();
            var freqs = new List<List<float>>();
            var lengths = new float[count];
            var local = new Dictionary<int, float>();
            double totalLength = 0;

            void Add(string term, float weight)
            {
                if (!termIds.TryGetValue(term, out var id))
                {
                    termIds[term] = id = units.Count;
                    units.Add([]);
                    freqs.Add([]);
                }
                local[id] = local.GetValueOrDefault(id) + weight;
            }

            int Field(string text, float weight)
            {
                var tokens = 0;
                string? previous = null;
                foreach (var token in QueryText.Tokens(text))
                {
                    tokens++;
                    if (!QueryText.IsContentTerm(token))
                    {
                        previous = null;
                        continue;
                    }
                    var stem = PorterStemmer.Stem(token);
                    Add(stem, weight);
                    if (pairs && previous is not null)
                        Add(previous + " " + stem, weight);
                    previous = stem;
                }
                return tokens;
            }

            for (var unit = 0; unit < count; unit++)
            {
                local.Clear();
                lengths[unit] = read(unit, Field);
                totalLength += lengths[unit];
                foreach (var (term, f) in local)
                {
                    units[term].Add(unit);
                    freqs[term].Add(f);
                }
            }

            var average = count == 0 ? 1f : (float)Math.Max(1, totalLength / count);
            var unitArrays = new int[units.Count][];
            var impacts = new float[units.Count][];
            var idf = new float[units.Count];
            for (var t = 0; t < units.Count; t++)
            {
                unitArrays[t] = units[t].ToArray();
                var termImpacts = new float[unitArrays[t].Length];
                for (var p = 0; p < termImpacts.Length; p++)
                {
                    var f = freqs[t][p];
                    termImpacts[p] = f * (K1 + 1) / (f + K1 * (1 - B + B * lengths[unitArrays[t][p]] / average));
                }
                impacts[t] = termImpacts;
                var df = termImpacts.Length;
                // FTS5's IDF, with its floor for terms in more than half the units.
                idf[t] = (float)Math.Max(1e-6, Math.Log((count - df + 0.5) / (df + 0.5)));
            }
            return new Postings(termIds, unitArrays, impacts, idf, count);
        }

        public List<(int Unit, float Score)> Search(IReadOnlyList<WeightedTerm> terms, Func<int, bool> allowed, int k)
        {
            if (k <= 0 || terms.Count == 0 || _count == 0)
                return [];
            var scores = ArrayPool<float>.Shared.Rent(_count);
            Array.Clear(scores, 0, _count); // pooled arrays come back as their last user left them
            var touched = new List<int>();
            try
            {
                foreach (var (term, weight) in terms)
                {
                    if (!_termIds.TryGetValue(term, out var id))
                        continue;
                    var w = weight * _idf[id];
                    var termUnits = _units[id];
                    var impacts = _impacts[id];
                    for (var p = 0; p < termUnits.Length; p++)
                    {
                        var unit = termUnits[p];
                        if (scores[unit] == 0)
                        {
                            if (!allowed(unit))
                                continue;
                            touched.Add(unit);
                        }
                        scores[unit] += w * impacts[p];
                    }
                }
                // Ties go to the lower unit (the older chunk), so results are stable.
                var heap = new PriorityQueue<int, (float Score, int NegUnit)>(k + 1);
                foreach (var unit in touched)
                {
                    var key = (scores[unit], -unit);
                    if (heap.Count < k)
                        heap.Enqueue(unit, key);
                    else if (heap.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0)
                        heap.EnqueueDequeue(unit, key);
                }
                var result = new (int, float)[heap.Count];
                for (var j = result.Length - 1; j >= 0; j--)
                {
                    heap.TryDequeue(out var unit, out var key);
                    result[j] = (unit, key.Score);
                }
                return [.. result];
            }
            finally
            {
                foreach (var unit in touched)
                    scores[unit] = 0;
                ArrayPool<float>.Shared.Return(scores);
            }
        }
    }
}
