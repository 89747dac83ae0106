using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Evaluation;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>eval retrieval --docs &lt;jsonl&gt; --queries &lt;jsonl&gt; [--json] [--retriever hybrid|bm25|dense] [--slice all|tune|holdout] [--seed n] [--encoder arctic-xs|minilm|hashed] [--index-dir dir]</c>.
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
        var encoder = EncoderOption();
        var indexDir = IndexDirOption();
        var command = new Command("retrieval", "Document-level Recall@1/5/10 and MRR of gold_doc_id (doc2dial layout).") { docs, queries, json, retriever, slice, seed, encoder, indexDir };
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => RunAsync(
            parse.GetValue(docs)!, parse.GetValue(queries)!, parse.GetValue(json), parse.GetValue(retriever)!, parse.GetValue(slice)!, parse.GetValue(seed),
            parse.GetValue(encoder)!, parse.GetValue(indexDir), ct)));
        return command;
    }

    internal static Option<string> EncoderOption() => new("--encoder")
    {
        Description = "The dense side's embedder: arctic-xs (default, as Sidecar:Knowledge:Encoder), minilm or hashed.",
        DefaultValueFactory = _ => Ai.Encoders.EncoderChoice.Default,
    };

    internal static Option<string?> IndexDirOption() => new("--index-dir")
    {
        Description = "Keep the evaluation index in this directory (created if missing): a second run re-embeds only changed documents.",
    };

    /// <summary>An offline embedder by name, or exit 2 naming the option.</summary>
    internal static Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> Embedder(string name)
    {
        var known = Ai.Encoders.EncoderChoice.Names.Where(n => n != Ai.Encoders.EncoderChoice.OpenAi).ToList();
        if (!known.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"--encoder must be {string.Join(", ", known)}, not '{Hosting.Excerpt.Of(name)}'");
        return Ai.Encoders.EncoderChoice.CreateOffline(name.Trim());
    }

    /// <summary>Documents and turns of the doc2dial layout, checked: a missing or malformed file, an empty one or a repeated doc_id exits 2 naming it.</summary>
    internal static async Task<(List<EvalDocument> Documents, List<EvalQuery> Turns)> ReadInputsAsync(string docsPath, string queriesPath, CancellationToken ct)
    {
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
        return (documents, turns);
    }

    /// <summary>Embedding the documents can take minutes with a neural encoder: a progress line on standard error (a terminal only).</summary>
    internal static IProgress<(int Done, int Total)>? StderrProgress(string label) =>
        Console.IsErrorRedirected ? null : new Progress<(int Done, int Total)>(p =>
        {
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{label} {p.Done}/{p.Total}"));
            if (p.Done == p.Total)
                Console.Error.WriteLine();
        });

    private static async Task<int> RunAsync(string docsPath, string queriesPath, bool json, string retriever, string sliceName, int seed, string encoderName, string? indexDir, CancellationToken ct)
    {
        var embedder = Embedder(encoderName);
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
        var (documents, turns) = await ReadInputsAsync(docsPath, queriesPath, ct);
        var selected = turns.Where(q => Doc2DialFiles.InSlice(q, slice, seed)).ToList();
        var known = documents.Select(d => d.DocId).ToHashSet(StringComparer.Ordinal);
        var unknownGold = selected.Count(q => !known.Contains(q.GoldDocId));
        if (unknownGold > 0)
            await Console.Error.WriteLineAsync($"warning: {unknownGold} of {selected.Count} queries name a gold_doc_id that is not in --docs; they count as misses");

        var result = await new RetrievalEvaluator(TimeProvider.System, embedder, indexDir).RunAsync(documents, selected, mode, ct, StderrProgress("indexing documents"));
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
