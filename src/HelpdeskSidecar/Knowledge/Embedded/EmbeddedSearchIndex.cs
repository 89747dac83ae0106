using System.Numerics.Tensors;

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
internal sealed partial class EmbeddedSearchIndex
{
    public const float K1 = 1.2f;

    /// <summary>
    /// Length normalisation: 0.6 rather than FTS5's 0.75, so a longer passage that repeats the asked-about terms is
    /// penalised less for its length (doc2dial tuning slice, hybrid R@1 0.888 → 0.896, flat from 0.5 to 0.65; see docs/benchmarks.md).
    /// </summary>
    public const float B = 0.6f;

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
        var key = $"{locale}|{scope.Brand}|{scope.BrandName}|{(int)scope.Visibility}|{string.Join(',', scope.Tiers.Select(t => (int)t).Order())}";
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
        var brandNameId = scope.BrandName is null ? -1 : Array.IndexOf(_brandNames, scope.BrandName);
        var maxVisibility = (byte)scope.Visibility;
        var allowed = new bool[Count];
        var any = false;
        for (var i = 0; i < allowed.Length; i++)
        {
            // A chunk without a brand serves every brand; a branded chunk only a query for that brand.
            var ok = tierAllowed[_tiers[i]] && _locales[i] == localeId && _visibility[i] <= maxVisibility && (_brands[i] < 0 || _brands[i] == brandId || _brands[i] == brandNameId);
            allowed[i] = ok;
            any |= ok;
        }
        return any ? allowed : null;
    }
}
