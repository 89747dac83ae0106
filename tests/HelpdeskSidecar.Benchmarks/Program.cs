namespace HelpdeskSidecar.Benchmarks;

/// <summary>Prints one JSON object per benchmark. Usage: <c>[ingest|pipeline ...]</c> (default: all).</summary>
internal static class BenchmarkProgram
{
    private static readonly string[] All = ["ingest", "ingest-mixed", "pipeline", "tags-nlupp", "oos-clinc150", "retrieval", "retrieval-encoder", "fault", "gaps-doc2dial", "intent-latency", "ingest-pg", "ingest-pg-2", "pipeline-pg", "pipeline-pg-2"];

    public static async Task<int> Main(string[] args)
    {
        foreach (var name in args.Length == 0 ? All : args)
        {
            var result = name switch
            {
                // Ingestion alone: the dispatcher schedules the debounced runs, which fire after the measurement.
                "ingest" => await IngestBenchmark.RunAsync("ingest", "Sidecar:Scheduling:Debounce=00:01:00"),
                // The same load while the scheduled runs fire (every 3 s) and compete for the two cores.
                "ingest-mixed" => await IngestBenchmark.RunAsync("ingest-mixed"),
                "pipeline" => await PipelineBenchmark.RunAsync(),
                // The offline classifier on public datasets (multi-label tags; out-of-scope rejection).
                "tags-nlupp" => IntentBenchmarks.TagsNlupp(),
                "oos-clinc150" => IntentBenchmarks.OosClinc150(),
                "retrieval" => await RetrievalBenchmark.RunAsync(),
                // The same with the arctic-xs sentence encoder: the query's embedding is part of its latency.
                "retrieval-encoder" => await RetrievalBenchmark.RunAsync(encoder: true),
                "fault" => await FaultBenchmark.RunAsync(),
                // The offline drafter's confidence: answerable vs off-topic questions (doc2dial, tuned and held-out slices).
                "gaps-doc2dial" => await GapBenchmark.RunAsync(),
                // One intent prediction including its sentence vector (issue 16).
                "intent-latency" => IntentBenchmarks.IntentLatency(),
                // PostgreSQL (SIDECAR_BENCH_POSTGRES, or a server of our own): one replica, and two on one database.
                "ingest-pg" => await IngestBenchmark.RunAsync("ingest-pg", 1, [.. await BenchPostgres.SettingsAsync(), "Sidecar:Scheduling:Debounce=00:01:00"]),
                "ingest-pg-2" => await IngestBenchmark.RunAsync("ingest-pg-2", 2, [.. await BenchPostgres.SettingsAsync(), "Sidecar:Scheduling:Debounce=00:01:00"]),
                "pipeline-pg" => await PipelineBenchmark.RunOnPostgresAsync(1),
                "pipeline-pg-2" => await PipelineBenchmark.RunOnPostgresAsync(2),
                _ => null,
            };
            if (result is null)
            {
                await Console.Error.WriteLineAsync($"error: unknown benchmark '{name}' (known: {string.Join(", ", All)})");
                return 2;
            }
            Console.WriteLine(result);
        }
        BenchPostgres.Stop();
        return 0;
    }
}
