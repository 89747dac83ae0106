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

    private readonly Dictionary<long, int> _rowOfChunk;

    /// <summary>
    /// Builds the index in one pass over <paramref name="chunks"/>, which must come grouped by article (the caller
    /// reads them ordered by article): texts are tokenized and vectors quantized as they stream by, so neither the
    /// texts nor the float vectors of the whole corpus are ever held at once.
    /// </summary>
    public EmbeddedSearchIndex(IEnumerable<IndexedChunk> chunks, bool pairs, int exactScanBelow = ExactScanBelow)
    {
        _exactScanBelow = exactScanBelow;
        var chunkIds = new List<long>();
        var articleIds = new List<long>();
        var tiers = new List<byte>();
        var visibility = new List<byte>();
        var localeIds = new List<int>();
        var brandIds = new List<int>();
        var scales = new List<float>();
        var codes = new Growable<sbyte>();
        var centroidCodes = new Growable<sbyte>();
        var centroidScales = new List<float>();
        var locales = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var brands = new Dictionary<string, int>(StringComparer.Ordinal);
        var articleUnitOfRow = new List<int>();
        var articleIdOfUnit = new List<long>();
        var rowsOfUnit = new List<int[]>();
        var seenArticles = new HashSet<long>();

        var tokenizer = new Tokenizer(pairs);
        var chunkPostings = new PostingsBuilder(tokenizer.Vocabulary);
        var articlePostings = new PostingsBuilder(tokenizer.Vocabulary);
        var chunkTerms = new Dictionary<int, float>();
        var articleTerms = new Dictionary<int, float>();
        var articleLength = 0f;
        var articleRows = new List<int>();
        float[]? centroid = null;
        long? currentArticle = null;

        void FlushArticle()
        {
            if (currentArticle is not { } article)
                return;
            if (!seenArticles.Add(article))
                throw new ArgumentException("Chunks must come grouped by article.", nameof(chunks));
            articleIdOfUnit.Add(article);
            rowsOfUnit.Add([.. articleRows]);
            articlePostings.Add(articleTerms, articleLength);
            if (Dimensions > 0)
                centroidScales.Add(Quantize(centroid!, centroidCodes.Append(Dimensions)));
            articleTerms.Clear();
            articleLength = 0;
            articleRows.Clear();
            if (centroid is not null)
                Array.Clear(centroid);
        }

        foreach (var chunk in chunks)
        {
            if (chunk.ArticleId != currentArticle)
            {
                FlushArticle();
                currentArticle = chunk.ArticleId;
            }
            var row = chunkIds.Count;
            if (Dimensions == 0 && chunk.Vector is { Length: > 0 } first)
            {
                Dimensions = first.Length;
                centroid = new float[Dimensions];
                // Rows (and articles) before the first vector get empty codes (scale 0: never scored).
                codes.Append(row * Dimensions);
                centroidCodes.Append(articleIdOfUnit.Count * Dimensions);
                centroidScales.AddRange(Enumerable.Repeat(0f, articleIdOfUnit.Count));
            }
            chunkIds.Add(chunk.ChunkId);
            articleIds.Add(chunk.ArticleId);
            tiers.Add((byte)chunk.Policy.Tier);
            visibility.Add((byte)chunk.Policy.Visibility);
            localeIds.Add(Intern(locales, chunk.Policy.Locale));
            brandIds.Add(chunk.Policy.Brand is null ? -1 : Intern(brands, chunk.Policy.Brand));
            if (Dimensions > 0)
            {
                var target = codes.Append(Dimensions);
                if (chunk.Vector is { } vector && vector.Length == Dimensions)
                {
                    scales.Add(Quantize(vector, target));
                    TensorPrimitives.Add(centroid!, vector, centroid!);
                }
                else
                {
                    scales.Add(0);
                }
            }
            else
            {
                scales.Add(0);
            }

            // The article as one text: its title once, then every chunk's headings and body (overlaps between chunks count twice; they are short).
            if (articleRows.Count == 0)
                articleLength += tokenizer.Count(chunk.Title, TitleWeight, articleTerms);
            chunkTerms.Clear();
            var headingsAreTitle = chunk.HeadingPath == chunk.Title;
            var bodyLength = (headingsAreTitle ? 0 : tokenizer.Count(chunk.HeadingPath, HeadingWeight, chunkTerms)) + tokenizer.Count(chunk.Text, 1f, chunkTerms);
            foreach (var (term, f) in chunkTerms)
                articleTerms[term] = articleTerms.GetValueOrDefault(term) + f;
            articleLength += bodyLength;
            // The chunk's own fields: as in the FTS5 table, title and heading path each count even when they are the same words.
            var length = bodyLength + tokenizer.Count(chunk.Title, TitleWeight, chunkTerms)
                + (headingsAreTitle ? tokenizer.Count(chunk.HeadingPath, HeadingWeight, chunkTerms) : 0);
            chunkPostings.Add(chunkTerms, length);
            articleUnitOfRow.Add(articleIdOfUnit.Count);
            articleRows.Add(row);
        }
        FlushArticle();

        _chunkIds = [.. chunkIds];
        _articleIds = [.. articleIds];
        _tiers = [.. tiers];
        _visibility = [.. visibility];
        _locales = [.. localeIds];
        _brands = [.. brandIds];
        _scales = [.. scales];
        _codes = codes.ToArray(_chunkIds.Length * Dimensions);
        _centroidCodes = centroidCodes.ToArray(articleIdOfUnit.Count * Dimensions);
        _centroidScales = [.. centroidScales];
        _articleUnitOfRow = [.. articleUnitOfRow];
        _articleIdOfUnit = [.. articleIdOfUnit];
        _rowsOfUnit = [.. rowsOfUnit];
        _firstRowOfUnit = _rowsOfUnit.Select(r => r[0]).ToArray();
        _rowOfChunk = new Dictionary<long, int>(_chunkIds.Length);
        for (var i = 0; i < _chunkIds.Length; i++)
            _rowOfChunk[_chunkIds[i]] = i;
        _localeNames = locales.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        _brandNames = brands.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        _chunkPostings = chunkPostings.Build();
        _articlePostings = articlePostings.Build();
    }

    public int Count => _chunkIds.Length;

    public int Dimensions { get; private set; }

    /// <summary>The article a chunk belongs to, or null when the chunk is not in this snapshot.</summary>
    public long? ArticleOfChunk(long chunkId) => _rowOfChunk.TryGetValue(chunkId, out var row) ? _articleIds[row] : null;

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
        // Scopes repeat (a few policies × locales), so each allow-list is computed once per snapshot.
        var key = $"{locale}|{scope.Brand}|{(int)scope.Visibility}|{string.Join(',', scope.Tiers.Select(t => (int)t).Order())}";
        if (_allowed.TryGetValue(key, out var cached))
            return cached;
        var computed = ComputeAllowed(scope, locale);
        if (_allowed.Count < MaxCachedScopes)
            _allowed[key] = computed;
        return computed;
    }

    private const int MaxCachedScopes = 256;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool[]?> _allowed = new(StringComparer.Ordinal);

    private bool[]? ComputeAllowed(RetrievalScope scope, string locale)
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

    /// <summary>An array that grows by doubling and hands out the next slice to fill.</summary>
    private sealed class Growable<T>
    {
        private T[] _items = new T[1024];
        private int _count;

        public Span<T> Append(int length)
        {
            if (_count + length > _items.Length)
                Array.Resize(ref _items, Math.Max(_items.Length * 2, _count + length));
            var slice = _items.AsSpan(_count, length);
            _count += length;
            return slice;
        }

        public T[] ToArray(int expected)
        {
            var result = new T[expected];
            _items.AsSpan(0, Math.Min(expected, _count)).CopyTo(result);
            return result;
        }
    }

    /// <summary>Term ids shared by the chunk and article postings.</summary>
    private sealed class Vocabulary
    {
        private readonly List<string> _names = [];

        public Dictionary<string, int> Ids { get; } = new(StringComparer.Ordinal);

        public int Id(string term)
        {
            if (!Ids.TryGetValue(term, out var id))
            {
                Ids[term] = id = Ids.Count;
                _names.Add(term);
            }
            return id;
        }

        public string Name(int id) => _names[id];
    }

    /// <summary>
    /// Lower-cased letter and digit runs (apostrophes dropped, as <see cref="QueryText.Tokens"/> does), stop words
    /// skipped, Porter-stemmed; each distinct token is stemmed once and looked up by span afterwards, so indexing
    /// allocates per new word, not per occurrence.
    /// </summary>
    private sealed class Tokenizer(bool pairs)
    {
        private readonly Dictionary<string, string?> _stems = new(StringComparer.Ordinal);
        private readonly Dictionary<(int, int), int> _pairIds = [];
        private char[] _buffer = new char[64];

        public Vocabulary Vocabulary { get; } = new();

        /// <summary>Adds the field's term frequencies (× weight) to <paramref name="terms"/>; returns its length in tokens.</summary>
        public int Count(string text, float weight, Dictionary<int, float> terms)
        {
            var lookup = _stems.GetAlternateLookup<ReadOnlySpan<char>>();
            var tokens = 0;
            var length = 0;
            var previous = -1;
            for (var i = 0; i <= text.Length; i++)
            {
                var ch = i < text.Length ? text[i] : ' ';
                if (char.IsLetterOrDigit(ch))
                {
                    if (length == _buffer.Length)
                        Array.Resize(ref _buffer, length * 2);
                    _buffer[length++] = char.ToLowerInvariant(ch);
                    continue;
                }
                if (ch is '\'' or '\u2019')
                    continue;
                if (length == 0)
                    continue;
                tokens++;
                var token = _buffer.AsSpan(0, length);
                length = 0;
                if (!lookup.TryGetValue(token, out var stem))
                {
                    var word = token.ToString();
                    stem = QueryText.IsContentTerm(word) ? PorterStemmer.Stem(word) : null;
                    _stems[word] = stem;
                }
                if (stem is null)
                {
                    previous = -1;
                    continue;
                }
                var id = Vocabulary.Id(stem);
                terms[id] = terms.GetValueOrDefault(id) + weight;
                if (pairs && previous >= 0)
                {
                    if (!_pairIds.TryGetValue((previous, id), out var pairId))
                        _pairIds[(previous, id)] = pairId = Vocabulary.Id(Vocabulary.Name(previous) + " " + stem);
                    terms[pairId] = terms.GetValueOrDefault(pairId) + weight;
                }
                previous = id;
            }
            return tokens;
        }
    }

    /// <summary>Collects postings unit by unit (unit = chunk or article), then fixes BM25's saturation once the average length is known.</summary>
    private sealed class PostingsBuilder(Vocabulary vocabulary)
    {
        private readonly List<List<int>> _units = [];
        private readonly List<List<float>> _freqs = [];
        private readonly List<float> _lengths = [];

        public void Add(Dictionary<int, float> terms, float length)
        {
            var unit = _lengths.Count;
            _lengths.Add(length);
            foreach (var (term, f) in terms)
            {
                while (_units.Count <= term)
                {
                    _units.Add([]);
                    _freqs.Add([]);
                }
                _units[term].Add(unit);
                _freqs[term].Add(f);
            }
        }

        public Postings Build()
        {
            var count = _lengths.Count;
            var average = count == 0 ? 1f : Math.Max(1f, (float)(_lengths.Sum(l => (double)l) / count));
            var terms = vocabulary.Ids.Count;
            var units = new int[terms][];
            var impacts = new float[terms][];
            var idf = new float[terms];
            for (var t = 0; t < terms; t++)
            {
                units[t] = t < _units.Count ? [.. _units[t]] : [];
                var termImpacts = new float[units[t].Length];
                for (var p = 0; p < termImpacts.Length; p++)
                {
                    var f = _freqs[t][p];
                    termImpacts[p] = f * (K1 + 1) / (f + K1 * (1 - B + B * _lengths[units[t][p]] / average));
                }
                impacts[t] = termImpacts;
                var df = termImpacts.Length;
                // FTS5's IDF, with its floor for terms in more than half the units.
                idf[t] = (float)Math.Max(1e-6, Math.Log((count - df + 0.5) / (df + 0.5)));
            }
            return new Postings(vocabulary.Ids, units, impacts, idf, count);
        }
    }

    /// <summary>An inverted index over units (chunks or articles): per term, the units holding it and BM25's saturated term frequency.</summary>
    private sealed class Postings(Dictionary<string, int> termIds, int[][] units, float[][] impacts, float[] idf, int count)
    {
        public int DocumentFrequency(string term) => termIds.TryGetValue(term, out var id) ? units[id].Length : 0;

        public List<(int Unit, float Score)> Search(IReadOnlyList<WeightedTerm> terms, Func<int, bool> allowed, int k)
        {
            if (k <= 0 || terms.Count == 0 || count == 0)
                return [];
            var scores = ArrayPool<float>.Shared.Rent(count);
            Array.Clear(scores, 0, count); // pooled arrays come back as their last user left them
            var touched = new List<int>();
            try
            {
                foreach (var (term, weight) in terms)
                {
                    if (!termIds.TryGetValue(term, out var id))
                        continue;
                    var w = weight * idf[id];
                    var termUnits = units[id];
                    var termImpacts = impacts[id];
                    for (var p = 0; p < termUnits.Length; p++)
                    {
                        var unit = termUnits[p];
                        if (scores[unit] == 0)
                        {
                            if (!allowed(unit))
                                continue;
                            touched.Add(unit);
                        }
                        scores[unit] += w * termImpacts[p];
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
