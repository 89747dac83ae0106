using System.CommandLine;
using System.Text.Json;
using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>eval intents --train &lt;csv|json&gt; --test &lt;csv|json&gt; [--oos-label l] [--json]</c> and
/// <c>eval tags --train &lt;dir|file&gt; --test &lt;dir|file&gt; [--json]</c>: offline classifier quality on labelled files;
/// <c>eval retrieval …</c> lives in EvalRetrievalCommand.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var eval = new Command("eval", "Measure the offline models on labelled data.");
        var train = new Option<string>("--train") { Description = "CSV with the columns text,category (or a JSON file of splits, CLINC150's layout) to learn from.", Required = true };
        var test = new Option<string>("--test") { Description = "CSV with the columns text,category (or a JSON file of splits) to report on.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var oosLabel = new Option<string?>("--oos-label") { Description = "The out-of-scope category (CLINC150: oos): report in-scope accuracy and out-of-scope recall and precision." };
        var trainSplits = new Option<string>("--train-splits") { Description = "For a JSON --train: the splits to learn from, comma-separated.", DefaultValueFactory = _ => "train,oos_train" };
        var testSplits = new Option<string>("--test-splits") { Description = "For a JSON --test: the splits to report on, comma-separated.", DefaultValueFactory = _ => "test,oos_test" };
        var encoder = EncoderOption();
        var intents = new Command("intents", "Train the intent classifier on one file and report accuracy, macro-F1 and latency on another.")
        {
            train, test, json, oosLabel, trainSplits, testSplits, encoder,
        };
        intents.SetAction((parse, ct) => SidecarCli.GuardAsync(() => IntentsAsync(
            new IntentsArguments(parse.GetValue(train)!, parse.GetValue(test)!, parse.GetValue(json), parse.GetValue(oosLabel), parse.GetValue(trainSplits)!, parse.GetValue(testSplits)!, parse.GetValue(encoder)!))));
        eval.Subcommands.Add(intents);
        eval.Subcommands.Add(EvalTagsCommand.Create());
        eval.Subcommands.Add(EvalRetrievalCommand.Create());
        eval.Subcommands.Add(EvalGroundingCommand.Create());
        eval.Subcommands.Add(EvalThemesCommand.Create());
        return eval;
    }

    private sealed record IntentsArguments(string Train, string Test, bool Json, string? OosLabel, string TrainSplits, string TestSplits, string Encoder);

    /// <summary><c>--encoder</c>: the sentence vectors beside the sparse features (the classifier's default), or <c>none</c>.</summary>
    internal static Option<string> EncoderOption() => new("--encoder")
    {
        Description = "Sentence vectors beside the sparse features: arctic-xs (default), minilm, or none.",
        DefaultValueFactory = _ => Copilot.Classification.ClassifierEncoders.Default,
    };

    /// <summary>The encoder named by <c>--encoder</c>; an unknown name is a usage error.</summary>
    internal static ISentenceEncoder? Encoder(string name)
    {
        try
        {
            return ClassifierEncoders.Create(name);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--encoder: {ex.Message.Split(" (Parameter")[0]}");
        }
    }

    private static Task<int> IntentsAsync(IntentsArguments args)
    {
        var (trainPath, testPath, json) = (args.Train, args.Test, args.Json);
        if (args.OosLabel is { } label && string.IsNullOrWhiteSpace(label))
            throw new UsageException("--oos-label must name a category");
        CategoryFile trainFile, testFile;
        try
        {
            trainFile = LabeledFiles.ReadIntents(trainPath, Splits(args.TrainSplits, "--train-splits"));
            testFile = LabeledFiles.ReadIntents(testPath, Splits(args.TestSplits, "--test-splits"));
        }
        catch (InvalidDataException ex)
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

        var oos = args.OosLabel?.Trim();
        if (oos is not null && !train.Any(t => t.Intent == oos) && !test.Any(t => t.Intent == oos))
            Console.Error.WriteLine($"warning: neither file has the category '{oos}'; rejection by threshold only, no out-of-scope example to count");
        var settings = ClassifierSettings.Default with { OutOfScopeLabel = oos, Encoder = Encoder(args.Encoder) };
        var result = IntentEvaluation.Run(train, test, TimeProvider.System, settings) with { SkippedTrain = trainFile.SkippedBlank, SkippedTest = testFile.SkippedBlank };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, IntentEvaluationJsonContext.Default.IntentEvaluationResult));
            return Task.FromResult(SidecarCli.Ok);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"{result.Examples} test examples, {result.Labels} intents, trained on {result.TrainExamples} in {result.TrainSeconds:0.00} s"));
        Console.WriteLine(FormattableString.Invariant($"accuracy {result.Accuracy:0.0000}  macro-F1 {result.MacroF1:0.0000}"));
        if (result.InScopeAccuracy is { } inScope)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"out of scope ('{oos}', {result.OosExamples} test examples; rejected below {result.RejectThreshold:0.00}): in-scope accuracy {inScope:0.0000}, OOS recall {result.OosRecall:0.0000}, OOS precision {result.OosPrecision:0.0000}"));
        }
        Console.WriteLine(FormattableString.Invariant(
            $"calibration: ECE {result.Ece:0.0000} ({IntentEvaluation.EceBins} bins; {result.EceUncalibrated:0.0000} before temperature scaling)"));
        if (result.SkippedTrain + result.SkippedTest > 0)
            Console.WriteLine($"skipped for an empty category: {result.SkippedTrain} training and {result.SkippedTest} test rows");
        Console.WriteLine(FormattableString.Invariant($"latency per prediction: p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms"));
        return Task.FromResult(SidecarCli.Ok);
    }

    private static string[] Splits(string value, string option)
    {
        var splits = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return splits.Length > 0 ? splits : throw new UsageException($"{option} names no split");
    }
}
