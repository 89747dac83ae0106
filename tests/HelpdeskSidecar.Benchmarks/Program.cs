namespace HelpdeskSidecar.Benchmarks;

/// <summary>Prints one JSON object per benchmark. Usage: <c>[ingest|pipeline ...]</c> (default: all).</summary>
internal static class BenchmarkProgram
{
    private static readonly string[] All = ["ingest", "pipeline"];

    public static async Task<int> Main(string[] args)
    {
        foreach (var name in args.Length == 0 ? All : args)
        {
            var result = name switch
            {
                "ingest" => await IngestBenchmark.RunAsync(),
                "pipeline" => await PipelineBenchmark.RunAsync(),
                _ => null,
            };
            if (result is null)
            {
                await Console.Error.WriteLineAsync($"error: unknown benchmark '{name}' (known: {string.Join(", ", All)})");
                return 2;
            }
            Console.WriteLine(result);
        }
        return 0;
    }
}
