using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>
/// What the retrieval saw besides the passages: each passage's dense cosine (by chunk id; empty when the dense side did
/// not run) and the classifier's intent with its calibrated probability (null without a classifier).
/// </summary>
internal sealed record RetrievalEvidence(IReadOnlyDictionary<long, double> DenseByChunk, LabelScore? Intent)
{
    /// <summary>The offline classifier rejected the ticket as out of scope (see <see cref="TicketUnderstanding.OutOfScope"/>).</summary>
    public bool OutOfScope { get; init; }

    public static RetrievalEvidence None { get; } = new(new Dictionary<long, double>(), null);

    /// <summary>How the embedder's cosines read as evidence (<see cref="KnowledgeIndex.DenseScale"/>).</summary>
    public CosineScale Scale { get; init; } = CosineScale.Default;
}

/// <summary>
/// The parts of a draft's confidence, each 0–1, as the note and the trace show them. <see cref="Retrieval"/> is null when
/// no dense score was available, <see cref="Agreement"/> when no intent was predicted; the confidence stands on the rest.
/// </summary>
internal sealed record DraftEvidence(double Confidence, double? Retrieval, double Coverage, double? Agreement);

/// <summary>
/// How sure the offline drafter may be that its cited passages answer the ticket, from the evidence alone:
/// <list type="bullet">
/// <item><b>retrieval</b>: the best cited passage's dense cosine relative to <see cref="OnTopicCosine"/>, what a passage
/// that answers looks like;</item>
/// <item><b>coverage</b>: the share of the question's content words the cited passages contain, each word weighted by
/// how rare it is among the retrieved passages (a word every passage has, like the brand, says little; a word none has,
/// like "reporter", is what the question is about);</item>
/// <item><b>agreement</b>: whether the words of the predicted intent (<c>cancel_subscription</c>) appear in a cited
/// source's title or headings, counted as much as the classifier's calibrated probability lets it (an unsure classifier
/// neither helps nor hurts).</item>
/// </list>
/// The confidence is their weighted geometric mean: one weak part pulls it down, as one missing piece of evidence should.
/// <see cref="OnTopicCosine"/> and the weights of retrieval and coverage were fitted on doc2dial's tuning slice
/// (benchmark <c>gaps-doc2dial</c>, docs/benchmarks.md); the sample tickets were only the check.
/// </summary>
internal static class DraftConfidence
{
    /// <summary>
    /// The dense cosine at and above which a passage looks like an answer: the median best cited cosine of doc2dial's
    /// on-topic first turns (tuning slice) with the offline embedder. A corpus-fitted embedder keeps cosines on one scale.
    /// Other embedders bring their own <see cref="CosineScale"/> (<see cref="RetrievalEvidence.Scale"/>).
    /// </summary>
    public const double OnTopicCosine = 0.375;

    /// <summary>Retrieval weighs double: alone it told on- from off-topic questions best on doc2dial (AUC 0.87 against coverage's 0.69).</summary>
    public const double RetrievalWeight = 2.0;

    public const double CoverageWeight = 1.0;

    /// <summary>Not fitted (doc2dial has no intents): as much as coverage, by judgement.</summary>
    public const double AgreementWeight = 1.0;

    /// <summary>Agreement when the classifier is certain and no cited source names the intent; uncertainty moves it to <see cref="Neutral"/>.</summary>
    public const double Disagreement = 0.2;

    public const double Neutral = 0.6;

    /// <summary>A predicted intent at least this probable puts the sources whose title names it first.</summary>
    public const double LeadingIntent = 0.5;

    public static DraftEvidence Of(IReadOnlyList<string> terms, IReadOnlyList<KnowledgeHit> hits, IReadOnlyCollection<long> citedArticles, RetrievalEvidence evidence)
    {
        var cited = hits.Where(h => citedArticles.Contains(h.ArticleId)).ToList();
        var coverage = Coverage(terms, hits, cited);
        var retrieval = Retrieval(cited, evidence.DenseByChunk, evidence.Scale);
        var agreement = Agreement(evidence.Intent, cited);
        var parts = new List<(double Value, double Weight)> { (coverage, CoverageWeight) };
        if (retrieval is { } r)
            parts.Add((r, RetrievalWeight));
        if (agreement is { } a)
            parts.Add((a, AgreementWeight));
        var weight = parts.Sum(p => p.Weight);
        var confidence = Math.Exp(parts.Sum(p => p.Weight * Math.Log(Math.Max(1e-3, p.Value))) / weight);
        return new DraftEvidence(Math.Round(confidence, 3), Round(retrieval), Math.Round(coverage, 3), Round(agreement));
    }

    /// <summary>Rarity-weighted share of the question's terms found in the cited passages (words in their title and headings count).</summary>
    internal static double Coverage(IReadOnlyList<string> terms, IReadOnlyList<KnowledgeHit> hits, IReadOnlyList<KnowledgeHit> cited)
    {
        if (terms.Count == 0)
            return 0;
        var covered = cited.SelectMany(h => h.MatchedTerms).ToHashSet(StringComparer.Ordinal);
        double all = 0, found = 0;
        foreach (var term in terms.Distinct(StringComparer.Ordinal))
        {
            var weight = 1.0 / Math.Log(2 + hits.Count(h => h.MatchedTerms.Contains(term)));
            all += weight;
            if (covered.Contains(term))
                found += weight;
        }
        return all == 0 ? 0 : found / all;
    }

    internal static double? Retrieval(IReadOnlyList<KnowledgeHit> cited, IReadOnlyDictionary<long, double> denseByChunk, CosineScale? scale = null)
    {
        if (denseByChunk.Count == 0)
            return null;
        var best = cited.Select(h => denseByChunk.TryGetValue(h.ChunkId, out var c) ? c : 0).DefaultIfEmpty(0).Max();
        return (scale ?? CosineScale.Default).Of(best);
    }

    /// <summary>Null without a predicted intent (no classifier): the part is left out rather than guessed.</summary>
    internal static double? Agreement(LabelScore? intent, IReadOnlyList<KnowledgeHit> cited)
    {
        if (intent is null)
            return null;
        var named = cited.Select(h => Names(intent.Label, h)).DefaultIfEmpty(0).Max();
        var match = Disagreement + (1 - Disagreement) * named;
        var p = Math.Clamp(intent.Confidence, 0, 1);
        return p * match + (1 - p) * Neutral;
    }

    /// <summary>The share of the intent label's words (<c>cancel_subscription</c> → cancel, subscription) in the passage's title and headings, stemmed.</summary>
    internal static double Names(string intentLabel, KnowledgeHit hit)
    {
        // Every word of the label counts, stop words too: "other" names no topic, and no source is titled by it.
        var label = QueryText.Tokens(intentLabel.Replace('_', ' ')).Where(t => t.Length > 1).Select(KnowledgeIndex.Stem).Distinct().ToList();
        if (label.Count == 0)
            return 0;
        var words = QueryText.Tokens(hit.Title + " " + hit.HeadingPath).Select(KnowledgeIndex.Stem).ToHashSet();
        return label.Count(words.Contains) / (double)label.Count;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
