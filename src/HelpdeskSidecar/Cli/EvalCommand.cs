using System.CommandLine;
using System.Text.Json;
using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>eval intents --train &lt;csv&gt; --test &lt;csv&gt; [--json]</c>: offline classifier quality on labelled files;
/// <c>eval retrieval …</c> lives in EvalRetrievalCommand.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var eval = new Command("eval", "Measure the offline models on labelled data.");
        var train = new Option<string>("--train") { Description = "CSV with the columns text,category to learn from.", Required = true };
        var test = new Option<string>("--test") { Description = "CSV with the columns text,category to report on.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var intents = new Command("intents", "Train the intent classifier on one file and report accuracy, macro-F1 and latency on another.");
        intents.Options.Add(train);
        intents.Options.Add(test);
        intents.Options.Add(json);
        intents.SetAction((parse, ct) => SidecarCli.GuardAsync(() => IntentsAsync(parse.GetValue(train)!, parse.GetValue(test)!, parse.GetValue(json))));
        eval.Subcommands.Add(intents);
        eval.Subcommands.Add(EvalRetrievalCommand.Create());
        eval.Subcommands.Add(EvalGroundingCommand.Create());
        return eval;
    }

    private static Task<int> IntentsAsync(string trainPath, string testPath, bool json)
    {
        CategoryFile trainFile, testFile;
        try
        {
            trainFile = IntentEvaluation.ReadCategories(trainPath);
            testFile = IntentEvaluation.ReadCategories(testPath);
        }
        catch (CsvFormatException ex)
        {
            throw new UsageException(ex.Message);
        }
        var (train, test) = (trainFile.Examples, testFile.Examples);
        foreach (var (path, file) in new[] { (trainPath, trainFile), (testPath, testFile) }.Where(f => f.Item2.SkippedBlank > 0))
            Console.Error.WriteLine($"note: skipped {file.SkippedBlank} row(s) of '{path}' with an empty category");
        if (train.Select(t => t.Intent).Distinct().Count() < 2)
            throw new UsageException($"'{trainPath}' needs at least two categories to learn from");

        var known = train.Select(t => t.Intent).ToHashSet();
        var unseen = test.Count(t => t.Intent is not null && !known.Contains(t.Intent));
        if (unseen > 0)
            Console.Error.WriteLine($"warning: {unseen} of {test.Count} test examples have a category the training file never shows; they count as errors");

        var result = IntentEvaluation.Run(train, test, TimeProvider.System) with { SkippedTrain = trainFile.SkippedBlank, SkippedTest = testFile.SkippedBlank };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, IntentEvaluationJsonContext.Default.IntentEvaluationResult));
            return Task.FromResult(SidecarCli.Ok);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"{result.Examples} test examples, {result.Labels} intents, trained on {result.TrainExamples} in {result.TrainSeconds:0.00} s"));
        Console.WriteLine(FormattableString.Invariant($"accuracy {result.Accuracy:0.0000}  macro-F1 {result.MacroF1:0.0000}"));
        Console.WriteLine(FormattableString.Invariant(
            $"calibration: ECE {result.Ece:0.0000} ({IntentEvaluation.EceBins} bins; {result.EceUncalibrated:0.0000} before temperature scaling)"));
        if (result.SkippedTrain + result.SkippedTest > 0)
            Console.WriteLine($"skipped for an empty category: {result.SkippedTrain} training and {result.SkippedTest} test rows");
        Console.WriteLine(FormattableString.Invariant($"latency per prediction: p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms"));
        return Task.FromResult(SidecarCli.Ok);
    }
}
