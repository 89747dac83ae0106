using Dapper;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Evaluation;

/// <summary>Document-level retrieval quality and latency for one run.</summary>
internal sealed record RetrievalEvalResult(int Queries, double RecallAt1, double RecallAt5, double RecallAt10, double Mrr, double P50Ms, double P99Ms, int Documents, long Chunks);

/// <summary>
/// <c>eval retrieval</c>: indexes the documents into a fresh, temporary index (the real <see cref="KnowledgeIndex"/>
/// on its own SQLite file), runs every query, and scores where the gold document first appears among the retrieved
/// passages (a document ranks by its best passage).
/// </summary>
internal sealed class RetrievalEvaluator(TimeProvider time)
{
    /// <summary>Passages fetched per query: enough to rank well past ten distinct documents.</summary>
    public const int PassagesPerQuery = 60;

    public async Task<RetrievalEvalResult> RunAsync(
        IReadOnlyList<EvalDocument> documents, IReadOnlyList<EvalQuery> queries, RetrievalMode mode, CancellationToken ct)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sidecar-eval", Guid.NewGuid().ToString("N"));
        try
        {
            var database = new Database(Options.Create(new SidecarOptions { DataDir = dataDir }));
            var index = new KnowledgeIndex(database, time, new OfflineEmbeddingGenerator());
            foreach (var document in documents)
            {
                var title = string.IsNullOrWhiteSpace(document.Title) ? document.DocId : document.Title;
                await index.UpsertAsync(new KnowledgeArticle("eval", document.DocId, title, null, [new ArticleSection(title, document.Text)]), ct);
            }
            var chunks = await index.RefitEmbeddingsAsync(ct);
            Dictionary<long, string> docOfArticle;
            await using (var connection = await database.OpenAsync(ct))
                docOfArticle = (await connection.QueryAsync<(long Id, string ExternalId)>("SELECT id, external_id FROM articles")).ToDictionary(r => r.Id, r => r.ExternalId);

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
                Percentile(latencies, 50), Percentile(latencies, 99), documents.Count, chunks);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataDir, recursive: true); }
            catch (IOException) { /* best effort: the OS temp cleaner takes it */ }
        }
    }

    internal static double Percentile(List<double> sorted, double p) => Reports.Percentiles.NearestRank(sorted, p / 100);
}
