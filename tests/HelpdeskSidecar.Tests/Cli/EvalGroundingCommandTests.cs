using System.Text.Json;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Knowledge.Evaluation;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>eval grounding</c> on small doc2dial-shaped files the test writes itself, with the real arctic-xs encoder.</summary>
[NonParallelizable] // redirects Console
public class EvalGroundingCommandTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    private static string Line(object value) => JsonSerializer.Serialize(value);

    private const string Lapse = "If your insurance lapses we suspend your vehicle registration.";

    private static (string Docs, string Queries) Files(TempDirectory dir)
    {
        var docs = dir.File("docs.jsonl", string.Join("\n",
            Line(new { doc_id = "insurance#1", title = "Insurance lapses", text = $"New York requires liability insurance for every registered vehicle. {Lapse} Answer the insurance inquiry letter within ten days. Plates can be surrendered at any DMV office." }),
            Line(new { doc_id = "aid#1", title = "Student aid", text = "Apply for student aid with the FAFSA form every year. The form opens on the first of October." })));
        var queries = dir.File("turns.jsonl", string.Join("\n",
            Line(new { id = "d1_1", dial_id = "d1", gold_doc_id = "insurance#1", user_utterance = "What happens to my registration if my insurance lapses?", history = Array.Empty<object>(), gold_grounding_text = Lapse }),
            Line(new { id = "d2_1", dial_id = "d2", gold_doc_id = "aid#1", user_utterance = "When does the FAFSA student aid form open?", history = Array.Empty<object>(), gold_grounding_text = "The form opens on the first of October." }),
            // No gold text: left out, and said so.
            Line(new { id = "d3_1", dial_id = "d3", gold_doc_id = "aid#1", user_utterance = "hello", history = Array.Empty<object>() })));
        return (docs, queries);
    }

    [Test]
    public async Task EvalGrounding_Json_PrintsTheKeysAndScoresTheQuotedSentences()
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);

        var (code, output, error) = await RunAsync("eval", "grounding", "--docs", docs, "--queries", queries, "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        var root = JsonDocument.Parse(lines[0]).RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "queries", "drafted", "token_precision", "token_recall", "token_f1", "mean_words" }));
        Assert.That(root.GetProperty("queries").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("drafted").GetInt32(), Is.EqualTo(2));
        // Each gold sentence is quoted (recall 1), beside at most one other sentence of its document.
        Assert.That(root.GetProperty("token_recall").GetDouble(), Is.EqualTo(1.0).Within(1e-4));
        Assert.That(root.GetProperty("token_precision").GetDouble(), Is.GreaterThan(0.3).And.LessThanOrEqualTo(1.0));
        Assert.That(root.GetProperty("mean_words").GetDouble(), Is.GreaterThan(5).And.LessThan(40));
        Assert.That(error, Does.Contain("note: 1 of 3 queries have no gold_grounding_text; they are left out"));
    }

    [Test]
    public async Task EvalGrounding_NoGoldTextAnywhere_Exits2WithOneLine()
    {
        using var dir = new TempDirectory();
        var (docs, _) = Files(dir);
        var queries = dir.File("plain.jsonl", Line(new { id = "d1_1", dial_id = "d1", gold_doc_id = "aid#1", user_utterance = "FAFSA form" }));

        var (code, output, error) = await RunAsync("eval", "grounding", "--docs", docs, "--queries", queries, "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Is.EqualTo($"error: --queries: no line of '{queries}' has a gold_grounding_text"));
    }

    [TestCase("--encoder", "bert")]
    [TestCase("--slice", "moon")]
    public async Task EvalGrounding_BadOption_Exits2NamingIt(string option, string value)
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);

        var (code, output, error) = await RunAsync("eval", "grounding", "--docs", docs, "--queries", queries, option, value);

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith($"error: {option} must be").And.Not.Contain("\n"));
    }

    [Test]
    public async Task EvalGrounding_MalformedLine_Exits2NamingFileAndLine()
    {
        using var dir = new TempDirectory();
        var (docs, _) = Files(dir);
        var queries = dir.File("bad.jsonl", "{\"gold_doc_id\": \"x\", \"user_utterance\": \"hi\"}\nnot json");

        var (code, _, error) = await RunAsync("eval", "grounding", "--docs", docs, "--queries", queries);

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error, Does.Contain("bad.jsonl line 2"));
    }

    [Test]
    public void Overlap_SquadNormalisation_CountsSharedTokensWithMultiplicity()
    {
        var predicted = GroundingEvaluator.Tokens("The renewal fee is $40, paid online.");
        var gold = GroundingEvaluator.Tokens("Pay the renewal fee online; the fee is 40 dollars.");

        var (precision, recall, f1) = GroundingEvaluator.Overlap(predicted, gold);

        // predicted: renewal fee is 40 paid online (6); gold: pay renewal fee online fee is 40 dollars (8); shared 5.
        Assert.That(predicted, Is.EqualTo(new[] { "renewal", "fee", "is", "40", "paid", "online" }));
        Assert.That(precision, Is.EqualTo(5 / 6.0).Within(1e-9));
        Assert.That(recall, Is.EqualTo(5 / 8.0).Within(1e-9));
        Assert.That(f1, Is.EqualTo(2 * (5 / 6.0) * (5 / 8.0) / (5 / 6.0 + 5 / 8.0)).Within(1e-9));
        Assert.That(GroundingEvaluator.Overlap([], gold), Is.EqualTo((0.0, 0.0, 0.0)));
    }
}
