using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.WebConsole;

/// <summary>The answer part of "try a question": what was searched, under which filters, each hit's ranks and scores, and what the filters kept out.</summary>
internal static class KnowledgeTryResults
{
    private const int ExcerptLength = 220;

    public static Html Render(TrialResult r)
    {
        var e = r.Explanation;
        var d = r.Decision;
        var scope = r.Scope;
        var redactions = r.Redactions.Count == 0 ? "none" : string.Join(", ", r.Redactions.Select(p => $"{p.Key} {p.Value}"));
        var brand = scope.Brand is null
            ? "none given, so unbranded knowledge only"
            : $"{scope.Brand}, so articles of {scope.Brand} and unbranded ones";
        return Html.Of($"""
            <section class="panel" id="try-results" aria-labelledby="try-results-heading">
            <h2 id="try-results-heading">What retrieval returns</h2>
            {Html.When(d.Escalate, Html.Of($"""<p class="message warning" id="try-escalated">The policy rule '{d.Rule}' escalates such a ticket to a human: the pipeline would not retrieve or draft. Below is what retrieval would return anyway.</p>"""))}
            <dl id="try-how">
              <dt>Searched with</dt><dd id="try-redacted">{r.RedactedQuestion}</dd>
              <dt>Redactions</dt><dd id="try-redactions">{redactions}</dd>
              <dt>Policy</dt><dd id="try-policy">rule <strong>{d.Rule}</strong> from {d.Source}{(d.Matched.Count == 0 ? "" : $", matched {string.Join(", ", d.Matched)}")}</dd>
              <dt>Filters applied</dt><dd><ul id="try-filters" class="try-filters">
                <li>Tiers: {string.Join(", ", scope.Tiers.Select(KnowledgeIndex.TierName))} (from the policy)</li>
                <li>Visibility: {KnowledgeIndex.VisibilityName(scope.Visibility)}{(r.VisibilityOverridden ? " (set here, not by the policy)" : " (from the policy)")}</li>
                <li>Brand: {brand}</li>
                <li>Locales, in order: {string.Join(" → ", e.Locales)}</li></ul></dd>
              <dt>Keyword terms</dt><dd id="try-terms">{(e.QueryTerms.Count == 0 ? "none" : string.Join(", ", e.QueryTerms))}{(e.PrunedTerms.Count == 0 ? "" : $"; left out as too common in this knowledge base: {string.Join(", ", e.PrunedTerms)}")}</dd>
              <dt>How hits are ranked</dt><dd id="try-engine">{e.Engine}: keyword (BM25) passages and articles and vector (meaning) passages, each list filtered, fused by reciprocal rank (k {KnowledgeIndex.RrfK}; weights: keywords 1, meaning {KnowledgeIndex.DenseWeight}, article list {KnowledgeIndex.ArticleWeight}); the first {r.K} are kept.</dd>
            </dl>
            {Hits(e.Passages)}
            {Filtered(e)}
            </section>
            """);
    }

    private static Html Hits(IReadOnlyList<RetrievedPassage> passages) => passages.Count == 0
        ? Html.Of($"""<p class="message warning" id="try-no-hits">Nothing found inside these filters: a ticket like this would get a knowledge-gap note.</p>""")
        : Html.Of($"""
            <h3>Passages, best first</h3>
            <table id="try-hits"><thead><tr><th scope="col" class="num">Rank</th><th scope="col">Article and passage</th><th scope="col" class="num">Fused</th><th scope="col" class="num">Keywords</th><th scope="col" class="num">Meaning</th><th scope="col" class="num hide-narrow">Article list</th><th scope="col" class="hide-narrow">Fields</th></tr></thead><tbody>
            {Html.Join(passages.Select((p, i) => (p, i)), x => Html.Of($"""
                <tr class="try-hit" data-article-id="{x.p.Hit.ArticleId}" data-chunk-id="{x.p.Hit.ChunkId}"><td class="num" data-label="Rank">{x.i + 1}</td>
                <td><a class="try-hit-link" href="/console/knowledge/articles/{x.p.Hit.ArticleId}#chunk-{x.p.Hit.ChunkId}">{x.p.Hit.Title}</a><br><span class="muted">{x.p.Hit.HeadingPath}</span>
                <p class="try-excerpt">{KnowledgeViews.Excerpt(x.p.Hit.Text, ExcerptLength)}</p><p class="muted try-reason">{x.p.Reason}</p></td>
                <td class="num try-fused" data-label="Fused">{x.p.FusedScore:0.0000}</td>
                <td class="num try-lexical" data-label="Keywords">{Ranked(x.p.LexicalRank, x.p.LexicalScore, "0.00")}</td>
                <td class="num try-dense" data-label="Meaning">{Ranked(x.p.DenseRank, x.p.DenseScore, "0.00")}</td>
                <td class="num hide-narrow try-article-rank" data-label="Article list">{(x.p.ArticleRank is { } a ? $"#{a}" : "—")}</td>
                <td class="hide-narrow">{KnowledgeIndex.TierName(x.p.Tier)} · {KnowledgeIndex.VisibilityName(x.p.Visibility)} · {x.p.Brand ?? "all brands"} · {x.p.Locale}</td></tr>
                """))}
            </tbody></table>
            <p class="muted">Keywords: rank in the BM25 list (its score); meaning: rank in the vector list (cosine). “—”: that list did not find the passage.</p>
            """);

    private static Html Ranked(int? rank, double? score, string format) =>
        rank is { } r ? Html.Of($"#{r} <span class=\"muted\">({KnowledgeViews.Number(score, format)})</span>") : Html.Of($"—");

    private static Html Filtered(RetrievalExplanation e)
    {
        if (!e.FilteredKnown)
            return Html.Of($"""<p class="muted" id="try-filtered-unknown">Qdrant answered this search; which passages its filters kept out is not known here.</p>""");
        if (e.Filtered.Count == 0)
            return Html.Of($"""<p class="muted" id="try-none-filtered">The filters kept out nothing that would have ranked among these.</p>""");
        return Html.Of($"""
            <h3>Kept out by the filters</h3>
            <p class="muted">Passages the same search ranks among the first without any filter, and the filters that excluded them.</p>
            <table id="try-filtered"><thead><tr><th scope="col" class="num">Unfiltered rank</th><th scope="col">Article and passage</th><th scope="col">Excluded by</th></tr></thead><tbody>
            {Html.Join(e.Filtered, f => Html.Of($"""
                <tr class="try-filtered" data-article-id="{f.ArticleId}"><td class="num" data-label="Unfiltered rank">{f.UnfilteredRank}</td>
                <td><a href="/console/knowledge/articles/{f.ArticleId}#chunk-{f.ChunkId}">{f.Title}</a><br><span class="muted">{f.HeadingPath}</span></td>
                <td><ul class="try-why">{Html.Join(f.ExcludedBy, w => Html.Of($"<li>{w}</li>"))}</ul></td></tr>
                """))}
            </tbody></table>
            """);
    }
}
