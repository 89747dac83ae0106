using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Ai.Encoders;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// The embedded index at 10,000 and 100,000 chunks: indexing rate (upsert, then the embedder refit), and hybrid
/// query latency (BM25 + dense scan + RRF, k = 8) for dialogue-shaped queries. Articles are made of real help-site
/// sentences from ../shared/datasets/doc2dial when present (shuffled with a fixed seed), otherwise of synthetic words.
/// </summary>
internal static class RetrievalBenchmark
{
    private const int ChunksPerArticle = 10;
    private const int Queries = 200;

    /// <summary>Sentences in the pool of the encoder run: each is embedded once by the real model (see <see cref="PooledSentenceEmbedder"/>).</summary>
    private const int EncoderPool = 6_000;

    /// <param name="encoder">
    /// With the arctic-xs encoder (bench <c>retrieval-encoder</c>): queries are embedded by the real model at query time
    /// (their cost is in the latency); chunk vectors are the mean of the real vectors of the chunk's sentences, drawn from
    /// a pool of <see cref="EncoderPool"/> sentences, since embedding 100,000 real chunks takes about an hour of CPU here.
    /// Without it, the hashed embedder, as before.
    /// </param>
    public static async Task<string> RunAsync(bool encoder = false)
    {
        var (sentences, queries) = LoadText();
        if (encoder)
            sentences = (sentences.Source + $", first {EncoderPool} distinct", sentences.Lines.Distinct(StringComparer.Ordinal).Take(EncoderPool).ToList());
        var result = new JsonObject { ["bench"] = encoder ? "retrieval-encoder" : "retrieval", ["text"] = sentences.Source };
        using var memory = new PhaseMemory();
        PooledSentenceEmbedder? pooled = null;
        if (encoder)
        {
            memory.Enter("encoder");
            var started = Stopwatch.GetTimestamp();
            pooled = await PooledSentenceEmbedder.CreateAsync(new SentenceEmbeddingGenerator(SentenceEncoderModel.ArcticXs), sentences.Lines);
            result["pool_embed_s"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            result["pool_sentences_per_s"] = Math.Round(sentences.Lines.Count / Stopwatch.GetElapsedTime(started).TotalSeconds, 0);
        }
        foreach (var size in new[] { 10_000, 100_000 })
        {
            var dataDir = Path.Combine(Path.GetTempPath(), "sidecar-bench", Guid.NewGuid().ToString("N"));
            try
            {
                var database = new Database(Options.Create(new SidecarOptions { DataDir = dataDir }));
                var index = pooled is null ? new KnowledgeIndex(database, TimeProvider.System) : new KnowledgeIndex(database, TimeProvider.System, pooled);
                var random = new Random(42);
                var key = size >= 100_000 ? "100k" : "10k";
                memory.Enter("upsert");
                var started = Stopwatch.GetTimestamp();
                for (var a = 0; a < size / ChunksPerArticle; a++)
                    await index.UpsertAsync(Article(a, sentences.Lines, random), CancellationToken.None);
                var upsertSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                memory.Enter("refit");
                started = Stopwatch.GetTimestamp();
                await index.RefitEmbeddingsAsync(CancellationToken.None);
                var refitSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var (_, chunks) = await index.CountAsync(CancellationToken.None);

                // Warm-up: the first query builds the in-memory snapshot (postings, int8 vectors) from SQLite.
                var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
                memory.Enter("snapshot");
                started = Stopwatch.GetTimestamp();
                await index.RetrieveAsync(new RetrievalRequest(queries[0], 8), CancellationToken.None);
                var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                memory.Enter("query");
                // What the snapshot keeps once built: the managed heap it added, after a full collection.
                result[$"snapshot_heap_mb_{key}"] = Math.Round((GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / 1048576.0, 0);
                // Steady state: a few more queries so the first measured ones do not pay for collecting the build's garbage.
                for (var q = 1; q <= 20; q++)
                    await index.RetrieveAsync(new RetrievalRequest(queries[^q], 8), CancellationToken.None);
                var gen2Before = GC.CollectionCount(2);
                // CPU time of the process per query (all threads): on a shared machine the wall-clock figures mostly
                // measure the wait for a core; this is the work a query needs.
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var latencies = new List<double>(Queries);
                for (var q = 0; q < Queries; q++)
                {
                    var t = Stopwatch.GetTimestamp();
                    await index.RetrieveAsync(new RetrievalRequest(queries[q % queries.Count], 8), CancellationToken.None);
                    latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                var gen2During = GC.CollectionCount(2) - gen2Before;
                result[$"cpu_ms_per_query_{key}"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / Queries, 2);
                latencies.Sort();
                result[$"gen2_gcs_during_hybrid_{key}"] = gen2During;
                // Each retriever alone, to show where the time goes.
                foreach (var (mode, name) in new[] { (RetrievalMode.Lexical, "bm25"), (RetrievalMode.Dense, "dense") })
                {
                    var alone = new List<double>(Queries);
                    for (var q = 0; q < Queries; q++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await index.RetrieveAsync(new RetrievalRequest(queries[q % queries.Count], 8) { Mode = mode }, CancellationToken.None);
                        alone.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                    alone.Sort();
                    result[$"p50_ms_{key}_{name}_only"] = Math.Round(Percentiles.Of(alone, 50), 2);
                }
                // What the two-stage dense search (articles first) misses: share of the exact top 40 it also returns.
                var search = await index.SearchIndexAsync(CancellationToken.None);
                var allowed = search.Allowed(new RetrievalScope(), "en")!;
                double overlap = 0;
                for (var q = 0; q < Queries; q++)
                {
                    var vector = await index.QueryVectorAsync(queries[q % queries.Count], CancellationToken.None);
                    var exact = search.Dense(vector, allowed, 40, exact: true).Select(h => h.ChunkId).ToHashSet();
                    overlap += search.Dense(vector, allowed, 40).Count(h => exact.Contains(h.ChunkId)) / (double)Math.Max(1, exact.Count);
                }
                result[$"dense_recall_vs_exact_{key}"] = Math.Round(overlap / Queries, 3);
                result[$"chunks_{key}"] = chunks;
                result[$"p50_ms_{key}"] = Math.Round(Percentiles.Of(latencies, 50), 2);
                result[$"p99_ms_{key}"] = Math.Round(Percentiles.Of(latencies, 99), 2);
                result[$"index_chunks_per_s_{key}"] = Math.Round(chunks / upsertSeconds, 0);
                result[$"refit_s_{key}"] = Math.Round(refitSeconds, 1);
                result[$"snapshot_load_s_{key}"] = Math.Round(loadSeconds, 1);
                foreach (var (phase, mb) in memory.TakePeaks())
                    result[$"peak_working_set_mb_{phase}_{key}"] = mb;
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                try { Directory.Delete(dataDir, recursive: true); }
                catch (IOException) { /* best effort */ }
            }
        }
        result["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 0);
        return result.ToJsonString();
    }

    private static KnowledgeArticle Article(int number, IReadOnlyList<string> sentences, Random random)
    {
        var paragraphs = new List<string>(ChunksPerArticle);
        for (var p = 0; p < ChunksPerArticle; p++)
        {
            // ~900 characters: one paragraph is one chunk (the chunker's budget is 1,200).
            var paragraph = new StringBuilder();
            while (paragraph.Length < 900)
                paragraph.Append(sentences[random.Next(sentences.Count)]).Append(' ');
            paragraphs.Add(paragraph.ToString().Trim());
        }
        var title = string.Join(' ', sentences[random.Next(sentences.Count)].Split(' ').Take(6));
        return new KnowledgeArticle("bench", number.ToString(CultureInfo.InvariantCulture), title, null, [new ArticleSection(title, string.Join("\n\n", paragraphs))]);
    }

    private static ((string Source, List<string> Lines) Sentences, List<string> Queries) LoadText()
    {
        var dir = Path.Combine(FindShared(), "datasets", "doc2dial");
        if (File.Exists(Path.Combine(dir, "docs.jsonl")) && File.Exists(Path.Combine(dir, "turns_dev.jsonl")))
        {
            var sentences = File.ReadLines(Path.Combine(dir, "docs.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString() ?? "")
                .SelectMany(t => t.Split(['.', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Where(s => s.Length > 20)
                .Select(s => s + ".")
                .ToList();
            var queries = File.ReadLines(Path.Combine(dir, "turns_dev.jsonl")).Take(Queries).Select(l =>
            {
                var root = JsonDocument.Parse(l).RootElement;
                var history = root.GetProperty("history").EnumerateArray().Reverse().Select(h => h.GetProperty("text").GetString() ?? "");
                return string.Join("\n", history.Prepend(root.GetProperty("user_utterance").GetString() ?? ""));
            }).ToList();
            return (("doc2dial sentences", sentences), queries);
        }
        var random = new Random(7);
        var words = Enumerable.Range(0, 20_000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        // Zipf-like: low word numbers are common, as in real text.
        string Word() => words[(int)Math.Min(words.Length - 1, Math.Exp(random.NextDouble() * Math.Log(words.Length)))];
        var synthetic = Enumerable.Range(0, 50_000).Select(_ => string.Join(' ', Enumerable.Range(0, 12).Select(_ => Word())) + ".").ToList();
        var syntheticQueries = Enumerable.Range(0, Queries).Select(_ => string.Join(' ', Enumerable.Range(0, 20).Select(_ => Word()))).ToList();
        return (("synthetic", synthetic), syntheticQueries);
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "datasets")))
                return candidate;
        }
        return "/nonexistent";
    }

    /// <summary>The process's working set sampled every 20 ms, its peak kept per phase (upsert, refit, snapshot, query).</summary>
    private sealed class PhaseMemory : IDisposable
    {
        private readonly Dictionary<string, long> _peaks = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;
        private string _phase = "start";

        public PhaseMemory() => _sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                lock (_peaks)
                    _peaks[_phase] = Math.Max(_peaks.GetValueOrDefault(_phase), process.WorkingSet64);
                try { await Task.Delay(20, _stop.Token); }
                catch (OperationCanceledException) { break; }
            }
        });

        public void Enter(string phase)
        {
            lock (_peaks)
                _phase = phase;
        }

        public List<(string Phase, double Mb)> TakePeaks()
        {
            lock (_peaks)
            {
                var peaks = _peaks.Where(p => p.Key != "start").Select(p => (p.Key, Math.Round(p.Value / 1048576.0, 0))).ToList();
                _peaks.Clear();
                return peaks;
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _sampler.Wait();
            _stop.Dispose();
        }
    }
}
