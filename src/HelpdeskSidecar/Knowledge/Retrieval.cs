namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// What a ticket may draw on, decided by policy: the tiers, the brand (unbranded knowledge serves every brand;
/// a ticket without a brand sees only unbranded knowledge; an article's brand may be the helpdesk's brand id, as the
/// policy and the mode overrides name it, or the brand's name, as <c>kb import --brand acme</c> and front matter do), and the visibility (<see cref="KnowledgeVisibility.Agents"/>
/// sees public and agents-only chunks). Locales are tried in order: the ticket's locale, its parent ("de-CH" → "de"),
/// then <see cref="DefaultLocale"/>.
/// </summary>
internal sealed record RetrievalScope
{
    public static readonly IReadOnlyList<KnowledgeTier> AllTiers = Enum.GetValues<KnowledgeTier>();

    public IReadOnlyList<KnowledgeTier> Tiers { get; init; } = AllTiers;

    public string Locale { get; init; } = "en";

    public string DefaultLocale { get; init; } = "en";

    /// <summary>The ticket's brand as the helpdesk identifies it (Zendesk's <c>brand_id</c>).</summary>
    public string? Brand { get; init; }

    /// <summary>The same brand's name (Zendesk's brand name), which branded articles may give instead of the id.</summary>
    public string? BrandName { get; init; }

    /// <summary>Unbranded knowledge, or knowledge of this brand by its id or its name.</summary>
    public bool AllowsBrand(string? brand) =>
        brand is null || (Brand is not null && brand == Brand) || (BrandName is not null && brand == BrandName);

    /// <summary>The values a branded chunk may carry to be allowed: the id, then the name.</summary>
    public IReadOnlyList<string> BrandValues() =>
        [.. new[] { Brand, BrandName }.OfType<string>().Distinct(StringComparer.Ordinal)];

    public KnowledgeVisibility Visibility { get; init; } = KnowledgeVisibility.Public;

    /// <summary>The locales to search, most specific first, without repeats.</summary>
    public IReadOnlyList<string> LocaleChain()
    {
        var chain = new List<string>();
        void Add(string? locale)
        {
            if (!string.IsNullOrWhiteSpace(locale) && !chain.Contains(locale, StringComparer.OrdinalIgnoreCase))
                chain.Add(locale);
        }
        Add(Locale);
        var dash = Locale.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
            Add(Locale[..dash]);
        Add(DefaultLocale);
        return chain;
    }
}

/// <summary>Which retrievers run: both fused (the default), or one alone (for evaluation and diagnosis).</summary>
internal enum RetrievalMode
{
    Hybrid,
    Lexical,
    Dense,
}

/// <summary>A retrieval request: free text (the whole ticket context), how many passages, and the policy scope.</summary>
internal sealed record RetrievalRequest(string Query, int K)
{
    public RetrievalScope Scope { get; init; } = new();

    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>Text for the dense side when it should differ from <see cref="Query"/> (e.g. the newest message weighted up).</summary>
    public string? DenseQuery { get; init; }
}

/// <summary>
/// One retrieved passage with its provenance: the fused reciprocal-rank score, each retriever's rank and raw score
/// (null when that retriever did not return it), the chunk's policy fields and a one-line reason it matched.
/// </summary>
internal sealed record RetrievedPassage(
    KnowledgeHit Hit,
    double FusedScore,
    int? LexicalRank,
    double? LexicalScore,
    int? DenseRank,
    double? DenseScore,
    KnowledgeTier Tier,
    string Locale,
    string? Brand,
    KnowledgeVisibility Visibility,
    string Reason)
{
    /// <summary>The passage's article's rank in the article-level BM25 list (which adds to <see cref="FusedScore"/>), when it was in it.</summary>
    public int? ArticleRank { get; init; }
}

/// <summary>
/// How to read an embedder's dense cosines as evidence that a passage answers a question: <see cref="OffTopic"/> and
/// below says nothing (0), <see cref="OnTopic"/> and above is what an answering passage looks like (1), linear between.
/// Encoders differ: arctic-xs puts even unrelated texts near 0.6, the hashed embedder near 0.
/// </summary>
internal sealed record CosineScale(double OffTopic, double OnTopic)
{
    /// <summary>The hashed embedder's (fitted on doc2dial's tuning slice in issue 13: on-topic median 0.375).</summary>
    public static CosineScale Default { get; } = new(0, 0.375);

    public double Of(double cosine) => Math.Clamp((cosine - OffTopic) / Math.Max(1e-6, OnTopic - OffTopic), 0, 1);
}
