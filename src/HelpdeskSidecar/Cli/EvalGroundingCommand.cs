using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HelpdeskSidecar.Knowledge.Evaluation;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>eval grounding --docs &lt;jsonl&gt; --queries &lt;jsonl&gt; [--json] [--slice all|tune|holdout] [--seed n] [--encoder …] [--index-dir dir]</c>:
/// retrieval + the offline drafter per turn, token precision / recall / F1 of the quoted sentences against <c>gold_grounding_text</c>.
/// </summary>
internal static class EvalGroundingCommand
{
    public static Command Create()
    {
        var docs = new Option<string>("--docs") { Description = "Documents, one JSON object a line (doc_id, title, text).", Required = true };
        var queries = new Option<string>("--queries") { Description = "User turns, one JSON object a line (user_utterance, history, gold_grounding_text).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var slice = new Option<string>("--slice") { Description = "all (default), or one side of a seeded split by dialogue: tune (30%) or holdout (70%).", DefaultValueFactory = _ => "all" };
        var seed = new Option<int>("--seed") { Description = "Seed of the tune/holdout split.", DefaultValueFactory = _ => 20261122 };
        var encoder = EvalRetrievalCommand.EncoderOption();
        var indexDir = EvalRetrievalCommand.IndexDirOption();
        var command = new Command("grounding", "Token precision, recall and F1 of the offline drafts against gold_grounding_text (doc2dial layout).")
        {
            docs, queries, json, slice, seed, encoder, indexDir,
        };
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => RunAsync(parse.GetValue(docs)!, parse.GetValue(queries)!, parse.GetValue(json),
            parse.GetValue(slice)!, parse.GetValue(seed), parse.GetValue(encoder)!, parse.GetValue(indexDir), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string docsPath, string queriesPath, bool json, string sliceName, int seed, string encoderName, string? indexDir, CancellationToken ct)
    {
        var embedder = EvalRetrievalCommand.Embedder(encoderName);
        if (Enum.GetNames<EvalSlice>().FirstOrDefault(n => n.Equals(sliceName, StringComparison.OrdinalIgnoreCase)) is not { } sliceKnown
            || !Enum.TryParse<EvalSlice>(sliceKnown, out var slice))
            throw new UsageException($"--slice must be all, tune or holdout, not '{Hosting.Excerpt.Of(sliceName)}'");
        var (documents, turns) = await EvalRetrievalCommand.ReadInputsAsync(docsPath, queriesPath, ct);
        var graded = turns.Where(t => !string.IsNullOrWhiteSpace(t.GoldGroundingText)).ToList();
        if (graded.Count == 0)
            throw new UsageException($"--queries: no line of '{queriesPath}' has a gold_grounding_text");
        if (graded.Count < turns.Count)
            await Console.Error.WriteLineAsync($"note: {turns.Count - graded.Count} of {turns.Count} queries have no gold_grounding_text; they are left out");
        var selected = graded.Where(q => Doc2DialFiles.InSlice(q, slice, seed)).ToList();

        var result = await new GroundingEvaluator(TimeProvider.System, embedder, indexDir).RunAsync(documents, selected, ct, EvalRetrievalCommand.StderrProgress("indexing documents"));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["queries"] = result.Queries,
                ["drafted"] = result.Drafted,
                ["token_precision"] = Math.Round(result.TokenPrecision, 4),
                ["token_recall"] = Math.Round(result.TokenRecall, 4),
                ["token_f1"] = Math.Round(result.TokenF1, 4),
                ["mean_words"] = Math.Round(result.MeanWords, 1),
            }));
            return SidecarCli.Ok;
        }
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"encoder {encoderName}, slice {slice} (seed {seed}): {result.Queries} turns over {result.Documents} documents ({result.Chunks} chunks), {result.Drafted} drafted"));
        Console.WriteLine(string.Create(c, $"token precision {result.TokenPrecision:0.000}"));
        Console.WriteLine(string.Create(c, $"token recall    {result.TokenRecall:0.000}"));
        Console.WriteLine(string.Create(c, $"token F1        {result.TokenF1:0.000}"));
        Console.WriteLine(string.Create(c, $"mean words      {result.MeanWords:0.0} per draft"));
        return SidecarCli.Ok;
    }
}
