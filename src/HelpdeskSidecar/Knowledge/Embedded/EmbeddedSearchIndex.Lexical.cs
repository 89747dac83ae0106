using System.Buffers;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>The lexical side of the snapshot: BM25 over chunks and over whole articles, and how the postings are built.</summary>
internal sealed partial class EmbeddedSearchIndex
{
    /// <summary>BM25 over the allowed rows: Σ weight × IDF × saturated field-weighted term frequency. Best first.</summary>
    public IReadOnlyList<(long ChunkId, double Score)> Lexical(IReadOnlyList<WeightedTerm> terms, bool[] allowed, int k) =>
        _chunkPostings.Search(terms, row => allowed[row], k).Select(h => (_chunkIds[h.Unit], (double)h.Score)).ToList();

    /// <summary>
    /// BM25 over whole articles (an article is allowed when its first chunk is; policy fields are per article), best
    /// first, as article ids: a dialogue that touches several sections of one article scores it on all of them.
    /// </summary>
    public IReadOnlyList<(long ArticleId, double Score)> ArticleLexical(IReadOnlyList<WeightedTerm> terms, bool[] allowed, int k) => _articlePostings.Search(terms, unit => allowed[_firstRowOfUnit[unit]], k).Select(h => (_articleIdOfUnit[h.Unit], (double)h.Score)).ToList();

    /// <summary>BM25's saturated term frequency: <paramref name="frequency"/> (field-weighted) in a unit of <paramref name="length"/> tokens.</summary>
    internal static float Impact(float frequency, float length, float averageLength) =>
        frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / averageLength));

    /// <summary>
    /// One chunk's terms as the chunk postings count them, for an index that keeps its own (Qdrant's sparse vectors):
    /// Porter stems of content words and, with <paramref name="pairs"/>, adjacent pairs ("stem1 stem2", skipping stop
    /// words), title × <see cref="TitleWeight"/> + heading path × <see cref="HeadingWeight"/> + body × 1; and the
    /// chunk's length in tokens (stop words included), as the postings measure it.
    /// </summary>
    internal static (Dictionary<string, float> Frequencies, int Length) ChunkTerms(string title, string headingPath, string text, bool pairs)
    {
        var tokenizer = new Tokenizer(pairs);
        var terms = new Dictionary<int, float>();
        var length = tokenizer.Count(title, TitleWeight, terms) + tokenizer.Count(headingPath, HeadingWeight, terms) + tokenizer.Count(text, 1f, terms);
        return (terms.ToDictionary(t => tokenizer.Vocabulary.Name(t.Key), t => t.Value, StringComparer.Ordinal), length);
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
                    // stop word: the pair skips it
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

        /// <summary>Flattens the postings into three arrays (offsets, units, impacts): a handful of objects for the GC to trace instead of two per term.</summary>
        public Postings Build()
        {
            var count = _lengths.Count;
            var average = count == 0 ? 1f : Math.Max(1f, (float)(_lengths.Sum(l => (double)l) / count));
            var terms = vocabulary.Ids.Count;
            var offsets = new int[terms + 1];
            for (var t = 0; t < terms; t++)
                offsets[t + 1] = offsets[t] + (t < _units.Count ? _units[t].Count : 0);
            var units = new int[offsets[terms]];
            var impacts = new float[offsets[terms]];
            var idf = new float[terms];
            for (var t = 0; t < terms; t++)
            {
                var df = offsets[t + 1] - offsets[t];
                for (var p = 0; p < df; p++)
                {
                    var unit = _units[t][p];
                    var f = _freqs[t][p];
                    units[offsets[t] + p] = unit;
                    impacts[offsets[t] + p] = Impact(f, _lengths[unit], average);
                }
                // FTS5's IDF, with its floor for terms in more than half the units.
                idf[t] = (float)Math.Max(1e-6, Math.Log((count - df + 0.5) / (df + 0.5)));
            }
            return new Postings(vocabulary.Ids, offsets, units, impacts, idf, count);
        }
    }

    /// <summary>
    /// An inverted index over units (chunks or articles): term t's postings are <c>units[offsets[t]..offsets[t+1]]</c>
    /// with BM25's saturated term frequency beside each in <c>impacts</c>.
    /// </summary>
    private sealed class Postings(Dictionary<string, int> termIds, int[] offsets, int[] units, float[] impacts, float[] idf, int count)
    {
        public int DocumentFrequency(string term) => termIds.TryGetValue(term, out var id) ? offsets[id + 1] - offsets[id] : 0;

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
                    var termUnits = units.AsSpan(offsets[id], offsets[id + 1] - offsets[id]);
                    var termImpacts = impacts.AsSpan(offsets[id], termUnits.Length);
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
