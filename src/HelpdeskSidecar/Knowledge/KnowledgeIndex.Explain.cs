using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Knowledge;

/// <summary>A passage the same search would have ranked among the first k had the policy's filters not excluded it, and which filters did.</summary>
internal sealed record FilteredPassage(long ChunkId, long ArticleId, string Title, string HeadingPath, int UnfilteredRank, double FusedScore,
    KnowledgeTier Tier, string Locale, string? Brand, KnowledgeVisibility Visibility, IReadOnlyList<string> ExcludedBy);

/// <summary>
/// What <see cref="KnowledgeIndex.RetrieveAsync"/> returned for a request and why: the passages (each with its fused
/// score and the ranks and raw scores of the lists behind it), the locales searched, the BM25 terms used and those
/// dropped as too common, and the passages the policy's filters kept out.
/// </summary>
internal sealed record RetrievalExplanation(
    IReadOnlyList<RetrievedPassage> Passages,
    IReadOnlyList<string> Locales,
    IReadOnlyList<string> QueryTerms,
    IReadOnlyList<string> PrunedTerms,
    IReadOnlyList<FilteredPassage> Filtered,
    string Engine)
{
    /// <summary>False when Qdrant answered: what its filters excluded is not known here, only what it returned.</summary>
    public bool FilteredKnown { get; init; } = true;
}

internal sealed partial class KnowledgeIndex
{
    /// <summary>
    /// Runs the real retrieval (<see cref="RetrieveAsync"/>) and explains it: the same query against the embedded snapshot
    /// with every chunk allowed tells which passages the scope's filters (tier, visibility, brand, locale) kept out of the
    /// first k. That costs one more search and one more query embedding; it is for the console's "try a question", not the pipeline.
    /// </summary>
    public async Task<RetrievalExplanation> ExplainAsync(RetrievalRequest request, CancellationToken ct)
    {
        var passages = await RetrieveAsync(request, ct);
        var locales = request.Scope.LocaleChain();
        if (_external is not null && !passages.Any(p => p.Reason.Contains("embedded index used", StringComparison.Ordinal)))
        {
            var weightedExternal = request.Mode == RetrievalMode.Dense ? [] : WeightedQueryTerms(request.Query, search: null);
            return new RetrievalExplanation(passages, locales, weightedExternal.Select(t => t.Term).ToList(), [], [], "qdrant") { FilteredKnown = false };
        }

        var search = await SearchIndexAsync(ct);
        var weighted = request.Mode == RetrievalMode.Dense ? [] : WeightedQueryTerms(request.Query, search);
        var unpruned = request.Mode == RetrievalMode.Dense ? [] : WeightedQueryTerms(request.Query, search: null);
        var used = weighted.Select(t => t.Term).ToList();
        var pruned = unpruned.Select(t => t.Term).Except(used, StringComparer.Ordinal).ToList();
        if (search.Count == 0)
            return new RetrievalExplanation(passages, locales, used, pruned, [], "embedded");

        var everything = new bool[search.Count];
        Array.Fill(everything, true);
        var depth = Math.Max(request.K * 4, 40);
        var queryVector = request.Mode == RetrievalMode.Lexical ? [] : await QueryVectorAsync(request.DenseQuery ?? request.Query, ct);
        var lexical = search.Lexical(weighted, everything, depth);
        var articles = ArticleWeight > 0 && weighted.Count > 0 ? search.ArticleLexical(weighted, everything, depth) : [];
        var nearest = queryVector.Length == 0 ? [] : search.Dense(queryVector, everything, depth);
        var unfiltered = await FuseAsync(QueryText.Terms(request.Query), lexical, nearest, request.K, ct, articles, search);
        var returned = passages.Select(p => p.Hit.ChunkId).ToHashSet();
        var filtered = new List<FilteredPassage>();
        for (var i = 0; i < unfiltered.Count; i++)
        {
            var p = unfiltered[i];
            if (returned.Contains(p.Hit.ChunkId) || ExcludedBy(request.Scope, locales, p) is not { Count: > 0 } why)
                continue;
            filtered.Add(new FilteredPassage(p.Hit.ChunkId, p.Hit.ArticleId, p.Hit.Title, p.Hit.HeadingPath, i + 1, p.FusedScore,
                p.Tier, p.Locale, p.Brand, p.Visibility, why));
        }
        return new RetrievalExplanation(passages, locales, used, pruned, filtered, _external is null ? "embedded" : "embedded (Qdrant unavailable)");
    }

    /// <summary>Which of the scope's filters a passage fails (the rule of <see cref="EmbeddedSearchIndex.Allowed"/>, one reason per filter).</summary>
    internal static IReadOnlyList<string> ExcludedBy(RetrievalScope scope, IReadOnlyList<string> locales, RetrievedPassage p)
    {
        var why = new List<string>();
        if (!scope.Tiers.Contains(p.Tier))
            why.Add($"tier {TierName(p.Tier)} is not among the policy's tiers ({string.Join(", ", scope.Tiers.Select(TierName))})");
        if ((int)p.Visibility > (int)scope.Visibility)
            why.Add($"visibility {VisibilityName(p.Visibility)}: the policy allows {VisibilityName(scope.Visibility)} knowledge only");
        if (!scope.AllowsBrand(p.Brand))
            why.Add(scope.Brand is null ? $"brand {p.Brand}: a question without a brand sees unbranded knowledge only" : $"brand {p.Brand}, not {scope.Brand}");
        if (!locales.Contains(p.Locale, StringComparer.OrdinalIgnoreCase))
            why.Add($"locale {p.Locale} is not in the searched locales ({string.Join(", ", locales)})");
        return why;
    }
}
