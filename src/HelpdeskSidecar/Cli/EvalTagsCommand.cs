using System.CommandLine;
using System.Text.Json;
using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Cli;

/// <summary><c>eval tags --train &lt;dir|file&gt; --test &lt;dir|file&gt; [--json]</c>: multi-label tags on NLU++'s layout.</summary>
internal static class EvalTagsCommand
{
    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "A JSON list of {text, intents} objects, or a folder of fold*.json such lists, to learn from.", Required = true };
        var test = new Option<string>("--test") { Description = "The same layout, to report on.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var encoder = EvalCommand.EncoderOption();
        var command = new Command("tags", "Train the multi-label tag classifier on one set and report micro- and macro-F1 of the predicted tag sets on another.")
        {
            train, test, json, encoder,
        };
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => RunAsync(parse.GetValue(train)!, parse.GetValue(test)!, parse.GetValue(json), parse.GetValue(encoder)!)));
        return command;
    }

    private static Task<int> RunAsync(string trainPath, string testPath, bool json, string encoderName)
    {
        var encoder = EvalCommand.Encoder(encoderName);
        IReadOnlyList<LabeledText> train, test;
        try
        {
            train = LabeledFiles.ReadTags(trainPath);
            test = LabeledFiles.ReadTags(testPath);
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(ex.Message);
        }
        if (!train.Any(t => t.Tags.Count > 0))
            throw new UsageException($"'{trainPath}' has no example with a tag to learn from");
        var known = train.SelectMany(t => t.Tags).ToHashSet(StringComparer.Ordinal);
        var unseen = test.SelectMany(t => t.Tags).Where(t => !known.Contains(t)).Distinct(StringComparer.Ordinal).Count();
        if (unseen > 0)
            Console.Error.WriteLine($"warning: {unseen} tag(s) of the test set never occur in the training set; they count as missed");

        var result = TagEvaluation.Run(train, test, TimeProvider.System, ClassifierSettings.Default with { Encoder = encoder });
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, TagEvaluationJsonContext.Default.TagEvaluationResult));
            return Task.FromResult(SidecarCli.Ok);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"{result.Examples} test examples, {result.Labels} tags, trained on {result.TrainExamples} in {result.TrainSeconds:0.00} s ({result.Classifier})"));
        Console.WriteLine(FormattableString.Invariant(
            $"micro-F1 {result.MicroF1:0.0000} (precision {result.MicroPrecision:0.0000}, recall {result.MicroRecall:0.0000})  macro-F1 {result.MacroF1:0.0000}"));
        Console.WriteLine(FormattableString.Invariant($"latency per prediction: p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms"));
        return Task.FromResult(SidecarCli.Ok);
    }
}
