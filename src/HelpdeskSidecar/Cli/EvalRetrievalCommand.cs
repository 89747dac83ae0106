using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Evaluation;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>eval retrieval --docs &lt;jsonl&gt; --queries &lt;jsonl&gt; [--json] [--retriever hybrid|bm25|dense] [--slice all|tune|holdout] [--seed n]</c>.
/// </summary>
internal static class EvalRetrievalCommand
{
    public static Command Create()
    {
        var docs = new Option<string>("--docs") { Description = "Documents, one JSON object a line (doc_id, title, text).", Required = true };
        var queries = new Option<string>("--queries") { Description = "User turns, one JSON object a line (user_utterance, history, gold_doc_id).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var retriever = new Option<string>("--retriever") { Description = "hybrid (default), bm25 or dense.", DefaultValueFactory = _ => "hybrid" };
        var slice = new Option<string>("--slice") { Description = "all (default), or one side of a seeded split by dialogue: tune (30%) or holdout (70%).", DefaultValueFactory = _ => "all" };
        var seed = new Option<int>("--seed") { Description = "Seed of the tune/holdout split.", DefaultValueFactory = _ => 20261122 };
        var command = new Command("retrieval", "Document-level Recall@1/5/10 and MRR of gold_doc_id (doc2dial layout).") { docs, queries, json, retriever, slice, seed };
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => RunAsync(
            parse.GetValue(docs)!, parse.GetValue(queries)!, parse.GetValue(json), parse.GetValue(retriever)!, parse.GetValue(slice)!, parse.GetValue(seed), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string docsPath, string queriesPath, bool json, string retriever, string sliceName, int seed, CancellationToken ct)
    {
        var mode = retriever.ToLowerInvariant() switch
        {
            "hybrid" => RetrievalMode.Hybrid,
            "bm25" or "lexical" => RetrievalMode.Lexical,
            "dense" => RetrievalMode.Dense,
            _ => throw new UsageException($"--retriever must be hybrid, bm25 or dense, not '{retriever}'"),
        };
        // By name only: Enum.TryParse also takes numbers ("7", "-1"), which name no slice.
        if (Enum.GetNames<EvalSlice>().FirstOrDefault(n => n.Equals(sliceName, StringComparison.OrdinalIgnoreCase)) is not { } sliceKnown
            || !Enum.TryParse<EvalSlice>(sliceKnown, out var slice))
            throw new UsageException($"--slice must be all, tune or holdout, not '{Hosting.Excerpt.Of(sliceName)}'");
        if (!File.Exists(docsPath))
            throw new UsageException($"--docs: file '{docsPath}' does not exist");
        if (!File.Exists(queriesPath))
            throw new UsageException($"--queries: file '{queriesPath}' does not exist");

        List<EvalDocument> documents;
        List<EvalQuery> turns;
        try
        {
            documents = await Doc2DialFiles.ReadJsonLinesAsync<EvalDocument>(docsPath, Doc2DialFiles.MissingField, ct);
            turns = await Doc2DialFiles.ReadJsonLinesAsync<EvalQuery>(queriesPath, Doc2DialFiles.MissingField, ct);
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(ex.Message);
        }
        if (documents.Count == 0)
            throw new UsageException($"--docs: '{docsPath}' holds no documents");
        if (documents.GroupBy(d => d.DocId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UsageException($"--docs: doc_id '{twice.Key}' appears {twice.Count()} times in '{docsPath}'");
        if (turns.Count == 0)
            throw new UsageException($"--queries: '{queriesPath}' holds no queries");
        var selected = turns.Where(q => Doc2DialFiles.InSlice(q, slice, seed)).ToList();
        var known = documents.Select(d => d.DocId).ToHashSet(StringComparer.Ordinal);
        var unknownGold = selected.Count(q => !known.Contains(q.GoldDocId));
        if (unknownGold > 0)
            await Console.Error.WriteLineAsync($"warning: {unknownGold} of {selected.Count} queries name a gold_doc_id that is not in --docs; they count as misses");

        var result = await new RetrievalEvaluator(TimeProvider.System).RunAsync(documents, selected, mode, ct);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["queries"] = result.Queries,
                ["recall_at_1"] = Math.Round(result.RecallAt1, 4),
                ["recall_at_5"] = Math.Round(result.RecallAt5, 4),
                ["recall_at_10"] = Math.Round(result.RecallAt10, 4),
                ["mrr"] = Math.Round(result.Mrr, 4),
                ["p50_ms"] = Math.Round(result.P50Ms, 3),
                ["p99_ms"] = Math.Round(result.P99Ms, 3),
            }));
            return SidecarCli.Ok;
        }
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"retriever {retriever}, slice {slice} (seed {seed}): {result.Queries} queries over {result.Documents} documents ({result.Chunks} chunks)"));
        Console.WriteLine(string.Create(c, $"Recall@1  {result.RecallAt1:0.000}"));
        Console.WriteLine(string.Create(c, $"Recall@5  {result.RecallAt5:0.000}"));
        Console.WriteLine(string.Create(c, $"Recall@10 {result.RecallAt10:0.000}"));
        Console.WriteLine(string.Create(c, $"MRR       {result.Mrr:0.000}"));
        Console.WriteLine(string.Create(c, $"latency   p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms"));
        return SidecarCli.Ok;
    }
}
