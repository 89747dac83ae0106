using System.Text.Json.Nodes;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>eval intents --oos-label</c> on CLINC150's layout and <c>eval tags</c> on NLU++'s, through the real command line.</summary>
[NonParallelizable] // redirects Console
public class EvalScopeAndTagsCliTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    /// <summary>CLINC150's layout: splits of [text, intent] pairs, "oos" the out-of-scope intent.</summary>
    private static string ClincLike(TempDirectory dir)
    {
        var train = Copilot.Classification.IntentClassifierTests.History().Select(h => new JsonArray(h.Text, h.Intent)).ToList();
        var data = new JsonObject
        {
            ["train"] = new JsonArray([.. train]),
            ["oos_train"] = new JsonArray(new JsonArray("can you recommend a good pizza place", "oos"), new JsonArray("what is the weather on mars", "oos"),
                new JsonArray("tell me a joke about penguins", "oos")),
            ["val"] = new JsonArray(new JsonArray("refund still missing for my returned coat", "refund_status"), new JsonArray("password does not work, cannot sign in", "login_problem")),
            ["oos_val"] = new JsonArray(new JsonArray("who won the football match yesterday", "oos")),
        };
        return dir.File("data.json", data.ToJsonString());
    }

    [Test]
    public async Task EvalIntents_OosLabel_Json_AddsTheScopeKeys()
    {
        using var dir = new TempDirectory();
        var path = ClincLike(dir);

        var (code, output, error) = await RunAsync("eval", "intents", "--train", path, "--test", path, "--test-splits", "val,oos_val", "--oos-label", "oos", "--encoder", "none", "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var json = JsonNode.Parse(output.Trim())!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.SupersetOf(new[] { "examples", "accuracy", "in_scope_accuracy", "oos_recall", "oos_precision", "reject_threshold" }));
        Assert.That(json["examples"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(json["oos_examples"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(json["train_examples"]!.GetValue<int>(), Is.EqualTo(21), "train + oos_train");
        Assert.That(json["oos_recall"]!.GetValue<double>(), Is.AnyOf(0.0, 1.0), "one out-of-scope example: found or not");
        Assert.That(json["in_scope_accuracy"]!.GetValue<double>(), Is.AnyOf(0.0, 0.5, 1.0));
    }

    [Test]
    public async Task EvalIntents_WithoutOosLabel_HasNoScopeKeys()
    {
        using var dir = new TempDirectory();
        var path = ClincLike(dir);

        var (code, output, error) = await RunAsync("eval", "intents", "--train", path, "--train-splits", "train", "--test", path, "--test-splits", "val", "--encoder", "none", "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var json = JsonNode.Parse(output.Trim())!.AsObject();
        Assert.That(json.ContainsKey("in_scope_accuracy"), Is.False);
        Assert.That(json["examples"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task EvalIntents_MissingSplit_Exits2WithOneLine()
    {
        using var dir = new TempDirectory();
        var path = ClincLike(dir);

        var (code, _, error) = await RunAsync("eval", "intents", "--train", path, "--test", path, "--oos-label", "oos", "--encoder", "none");

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: '{path}' has no split 'test' (it has: train, oos_train, val, oos_val)"));
    }

    [Test]
    public async Task EvalIntents_UnknownEncoder_Exits2()
    {
        using var dir = new TempDirectory();
        var path = ClincLike(dir);

        var (code, _, error) = await RunAsync("eval", "intents", "--train", path, "--test", path, "--test-splits", "val", "--encoder", "bert-large");

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith("error: --encoder: 'bert-large' is not a sentence encoder").And.Not.Contain("\n"));
    }

    /// <summary>Three tags with words of their own; an example may carry two.</summary>
    private static string Folds(TempDirectory dir)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "folds")).FullName;
        File.WriteAllText(Path.Combine(folder, "fold0.json"), """
            [{"text": "I want to cancel my booking", "intents": ["cancel", "booking"]},
             {"text": "cancel the reservation please", "intents": ["cancel", "booking"]},
             {"text": "how much is the room", "intents": ["price"]},
             {"text": "what does the room cost", "intents": ["price"]}]
            """);
        File.WriteAllText(Path.Combine(folder, "fold1.json"), """
            [{"text": "I need a booking for two nights", "intents": ["booking"]},
             {"text": "make a reservation for friday", "intents": ["booking"]},
             {"text": "hello there", "intents": []}]
            """);
        return folder;
    }

    [Test]
    public async Task EvalTags_Json_PrintsTheKeys_AndLearnsItsOwnTrainingSetExactly()
    {
        using var dir = new TempDirectory();
        var folder = Folds(dir);

        var (code, output, error) = await RunAsync("eval", "tags", "--train", folder, "--test", folder, "--encoder", "none", "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var json = JsonNode.Parse(output.Trim())!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.SupersetOf(new[] { "examples", "micro_f1", "macro_f1" }));
        Assert.That(json["examples"]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(json["labels"]!.GetValue<int>(), Is.EqualTo(3));
        // Seven short examples, ten epochs: the one-vs-rest models separate their own training texts.
        Assert.That(json["micro_f1"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(json["macro_f1"]!.GetValue<double>(), Is.EqualTo(1.0));
    }

    [Test]
    public async Task EvalTags_OneFile_IsAcceptedAsWellAsAFolder()
    {
        using var dir = new TempDirectory();
        var folder = Folds(dir);

        var (code, output, error) = await RunAsync("eval", "tags", "--train", folder, "--test", Path.Combine(folder, "fold1.json"), "--encoder", "none", "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        Assert.That(JsonNode.Parse(output.Trim())!["examples"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task EvalTags_Table_PrintsMicroAndMacro()
    {
        using var dir = new TempDirectory();
        var folder = Folds(dir);

        var (code, output, _) = await RunAsync("eval", "tags", "--train", folder, "--test", folder, "--encoder", "none");

        Assert.That(code, Is.EqualTo(SidecarCli.Ok));
        Assert.That(output, Does.Match(@"micro-F1 \d\.\d{4} \(precision \d\.\d{4}, recall \d\.\d{4}\)  macro-F1 \d\.\d{4}"));
    }

    [Test]
    public async Task EvalTags_MissingFile_Exits2()
    {
        var (code, _, error) = await RunAsync("eval", "tags", "--train", "/nonexistent/folds", "--test", "/nonexistent/folds");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo("error: '/nonexistent/folds' does not exist"));
    }

    [Test]
    public async Task EvalTags_EmptyFolder_Exits2()
    {
        using var dir = new TempDirectory();
        var empty = Directory.CreateDirectory(Path.Combine(dir.Path, "empty")).FullName;
        var (code, _, error) = await RunAsync("eval", "tags", "--train", empty, "--test", empty);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: folder '{empty}' holds no fold*.json files"));
    }

    [Test]
    public async Task EvalTags_BadJson_Exits2NamingThePosition()
    {
        using var dir = new TempDirectory();
        var folder = Folds(dir);
        var bad = dir.File("bad.json", "[{\"text\": \"a\", \"intents\": [\"x\"]},\n {\"text\": }]");
        var (code, _, error) = await RunAsync("eval", "tags", "--train", folder, "--test", bad);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.Match($@"^error: '{System.Text.RegularExpressions.Regex.Escape(bad)}' is not valid JSON at line 2, position \d+$"));
    }

    [Test]
    public async Task EvalTags_ItemWithoutText_Exits2NamingTheItem()
    {
        using var dir = new TempDirectory();
        var folder = Folds(dir);
        var bad = dir.File("bad.json", """[{"text": "a"}, {"intents": ["x"]}]""");
        var (code, _, error) = await RunAsync("eval", "tags", "--train", bad, "--test", folder);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: '{bad}' item 1: no \"text\" string"));
    }
}
