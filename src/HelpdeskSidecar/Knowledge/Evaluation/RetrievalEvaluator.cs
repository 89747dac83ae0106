using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Knowledge.Evaluation;

/// <summary>Document-level retrieval quality and latency for one run.</summary>
internal sealed record RetrievalEvalResult(int Queries, double RecallAt1, double RecallAt5, double RecallAt10, double Mrr, double P50Ms, double P99Ms, int Documents, long Chunks);

/// <summary>
/// <c>eval retrieval</c>: indexes the documents into a fresh, temporary index (the real <see cref="KnowledgeIndex"/>
/// on its own SQLite file, see <see cref="EvalIndex"/>), runs every query, and scores where the gold document first
/// appears among the retrieved passages (a document ranks by its best passage).
/// </summary>
internal sealed class RetrievalEvaluator(TimeProvider time, IEmbeddingGenerator<string, Embedding<float>> embedder, string? keptDataDir = null)
{
    /// <summary>Passages fetched per query: enough to rank well past ten distinct documents.</summary>
    public const int PassagesPerQuery = 60;

    public async Task<RetrievalEvalResult> RunAsync(
        IReadOnlyList<EvalDocument> documents, IReadOnlyList<EvalQuery> queries, RetrievalMode mode, CancellationToken ct, IProgress<(int Done, int Total)>? progress = null)
    {
        await using var built = await EvalIndex.BuildAsync(documents, embedder, time, keptDataDir, progress, ct);
        var (index, docOfArticle) = (built.Index, built.DocOfArticle);
        int at1 = 0, at5 = 0, at10 = 0;
        double reciprocal = 0;
        var latencies = new List<double>(queries.Count);
        foreach (var query in queries)
        {
            var text = Doc2DialFiles.QueryText(query);
            var started = time.GetTimestamp();
            var passages = await index.RetrieveAsync(new RetrievalRequest(text, PassagesPerQuery) { Mode = mode }, ct);
            latencies.Add(time.GetElapsedTime(started).TotalMilliseconds);
            var ranked = passages.Select(p => docOfArticle[p.Hit.ArticleId]).Distinct().ToList();
            var rank = ranked.IndexOf(query.GoldDocId) + 1;
            if (rank == 0)
                continue;
            at1 += rank <= 1 ? 1 : 0;
            at5 += rank <= 5 ? 1 : 0;
            at10 += rank <= 10 ? 1 : 0;
            reciprocal += 1.0 / rank;
        }
        latencies.Sort();
        double n = Math.Max(1, queries.Count);
        return new RetrievalEvalResult(queries.Count, at1 / n, at5 / n, at10 / n, reciprocal / n,
            Percentile(latencies, 50), Percentile(latencies, 99), documents.Count, built.Chunks);
    }

    internal static double Percentile(List<double> sorted, double p) => Reports.Percentiles.NearestRank(sorted, p / 100);
}
