using System.Text.Json;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>eval retrieval</c> on small doc2dial-shaped files the test writes itself.</summary>
[NonParallelizable] // redirects Console
public class EvalRetrievalCommandTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    private static string Line(object value) => JsonSerializer.Serialize(value);

    private static (string Docs, string Queries) Files(TempDirectory dir)
    {
        var docs = dir.File("docs.jsonl", string.Join("\n",
            Line(new { doc_id = "license#1", title = "Renew a driver license", text = "You can renew your driver license online.\n\nBring your old license to an office." }),
            Line(new { doc_id = "insurance#1", title = "Insurance lapses", text = "If your insurance lapses we suspend your registration.\n\nAnswer the insurance inquiry letter." }),
            Line(new { doc_id = "aid#1", title = "Student aid", text = "Apply for student aid with the FAFSA form every year." })));
        var queries = dir.File("turns.jsonl", string.Join("\n",
            Line(new { id = "d1_1", dial_id = "d1", gold_doc_id = "insurance#1", user_utterance = "I got a letter about my insurance", history = Array.Empty<object>() }),
            Line(new { id = "d2_3", dial_id = "d2", gold_doc_id = "license#1", user_utterance = "Can I do it online?", history = new[] { new { role = "user", text = "How do I renew my driver license?" }, new { role = "agent", text = "At an office or online." } } }),
            // The gold document is one the index does not hold: a miss at every cut-off.
            Line(new { id = "d3_1", dial_id = "d3", gold_doc_id = "missing#1", user_utterance = "student aid form", history = Array.Empty<object>() })));
        return (docs, queries);
    }

    [TestCase("hybrid")]
    [TestCase("bm25")]
    public async Task EvalRetrieval_Json_PrintsOneObjectWithTheKeysAndComputedRecall(string retriever)
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);

        var (code, output, error) = await RunAsync("eval", "retrieval", "--docs", docs, "--queries", queries, "--json", "--retriever", retriever);

        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        using var json = JsonDocument.Parse(lines[0]);
        var root = json.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "queries", "recall_at_1", "recall_at_5", "recall_at_10", "mrr", "p50_ms", "p99_ms" }));
        Assert.That(root.GetProperty("queries").GetInt32(), Is.EqualTo(3));
        // Two of three queries find their document first; the third cannot be found.
        Assert.That(root.GetProperty("recall_at_1").GetDouble(), Is.EqualTo(0.6667).Within(1e-4));
        Assert.That(root.GetProperty("recall_at_10").GetDouble(), Is.EqualTo(0.6667).Within(1e-4));
        Assert.That(root.GetProperty("mrr").GetDouble(), Is.EqualTo(0.6667).Within(1e-4));
        Assert.That(root.GetProperty("p99_ms").GetDouble(), Is.GreaterThanOrEqualTo(root.GetProperty("p50_ms").GetDouble()));
        Assert.That(error.Trim(), Is.EqualTo("warning: 1 of 3 queries name a gold_doc_id that is not in --docs; they count as misses"));
    }

    [Test]
    public async Task EvalRetrieval_TuneAndHoldoutSlices_PartitionTheDialogues()
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);

        var counts = new List<int>();
        foreach (var slice in new[] { "tune", "holdout", "all" })
        {
            var (code, output, _) = await RunAsync("eval", "retrieval", "--docs", docs, "--queries", queries, "--json", "--slice", slice, "--retriever", "bm25");
            Assert.That(code, Is.EqualTo(SidecarCli.Ok));
            using var json = JsonDocument.Parse(output);
            counts.Add(json.RootElement.GetProperty("queries").GetInt32());
        }

        Assert.That(counts[0] + counts[1], Is.EqualTo(counts[2]));
    }

    [Test]
    public async Task EvalRetrieval_MissingDocsFile_Exits2NamingTheOption()
    {
        using var dir = new TempDirectory();
        var (_, queries) = Files(dir);

        var (code, _, error) = await RunAsync("eval", "retrieval", "--docs", Path.Combine(dir.Path, "nope.jsonl"), "--queries", queries);

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith("error: --docs").And.Not.Contain("\n"));
    }

    [Test]
    public async Task EvalRetrieval_MalformedLine_Exits2NamingFileAndLine()
    {
        using var dir = new TempDirectory();
        var (docs, _) = Files(dir);
        var queries = dir.File("bad.jsonl", "{\"gold_doc_id\": \"x\", \"user_utterance\": \"hi\"}\nnot json");

        var (code, _, error) = await RunAsync("eval", "retrieval", "--docs", docs, "--queries", queries);

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error, Does.Contain("bad.jsonl line 2"));
    }

    [Test]
    public async Task EvalRetrieval_UnknownRetriever_Exits2()
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);

        var (code, _, error) = await RunAsync("eval", "retrieval", "--docs", docs, "--queries", queries, "--retriever", "magic");

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error, Does.Contain("--retriever"));
    }

    [TestCase("--slice", "7")]
    [TestCase("--slice=-1", null)]
    [TestCase("--slice", "1")]
    [TestCase("--slice", "moon")]
    public async Task EvalRetrieval_SliceNotAName_Exits2NamingTheOption(string option, string? value)
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);
        string[] slice = value is null ? [option] : [option, value];

        var (code, output, error) = await RunAsync(["eval", "retrieval", "--docs", docs, "--queries", queries, .. slice]);

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith("error: --slice must be all, tune or holdout, not '"));
    }

    [TestCase("docs", "{\"doc_id\": \"a#1\", \"title\": \"A\"}", "docs.jsonl line 1: 'text' is missing or empty")]
    [TestCase("queries", "{\"id\": \"d1_1\", \"user_utterance\": \"hi\"}", "turns.jsonl line 1: 'gold_doc_id' is missing or empty")]
    [TestCase("queries", "{\"id\": \"d1_1\", \"gold_doc_id\": \"a#1\"}", "turns.jsonl line 1: 'user_utterance' is missing or empty")]
    [TestCase("queries", "", "holds no queries")]
    [TestCase("docs", "{\"doc_id\": \"a#1\", \"text\": \"one\"}\n{\"doc_id\": \"a#1\", \"text\": \"two\"}", "doc_id 'a#1' appears 2 times")]
    public async Task EvalRetrieval_FileInTheWrongLayout_Exits2WithOneLineInsteadOfScoringMisses(string which, string content, string expected)
    {
        using var dir = new TempDirectory();
        var (docs, queries) = Files(dir);
        var bad = dir.File(which == "docs" ? "docs.jsonl" : "turns.jsonl", content);

        var (code, output, error) = await RunAsync("eval", "retrieval", "--docs", which == "docs" ? bad : docs, "--queries", which == "docs" ? queries : bad, "--json");

        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(expected).And.Not.Contain("\n"));
        Assert.That(output, Is.Empty);
    }
}
