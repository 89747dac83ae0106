using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary>Exit codes and one-line reasons, run in process through the real command line.</summary>
[NonParallelizable] // redirects Console
public class SidecarCliTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Test]
    public async Task KbImport_MissingFolder_Exits2WithOneLine()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "import", Path.Combine(data.Path, "nope"), $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith("error: folder").And.Not.Contain("\n"));
    }

    [TestCase("--Sidecar:Mode=Loud", "'Sidecar:Mode' must be one of Shadow, Live (not 'Loud').")]
    [TestCase("--Sidecar:Mode=7", "'Sidecar:Mode' must be one of Shadow, Live.")]
    [TestCase("--Sidecar:Knowledge:TopK=many", "'Sidecar:Knowledge:TopK' must be a whole number (not 'many').")]
    [TestCase("--Sidecar:Scheduling:Debounce=soon", "'Sidecar:Scheduling:Debounce' must be a duration written hh:mm:ss (e.g. 00:00:05) (not 'soon').")]
    public async Task KbStats_ValueOfTheWrongKind_Exits2SayingWhatTheKeyAccepts(string setting, string reason)
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "stats", setting, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: invalid configuration: {reason}"));
        Assert.That(error, Does.Not.Contain("HelpdeskSidecar.").And.Not.Contain("System."), "no .NET type names");
    }

    [Test]
    public async Task KbStats_InvalidBaseUrl_Exits2NamingTheKey()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("kb", "stats", "--Sidecar:Zendesk:BaseUrl=not a url", $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error, Does.Contain("Sidecar:Zendesk:BaseUrl"));
    }

    [Test]
    public async Task KbStats_DataDirIsAFile_Exits2NamingTheSetting()
    {
        using var temp = new TempDirectory();
        var file = temp.File("afile", "not a folder");
        var (code, _, error) = await RunAsync("kb", "stats", $"--Sidecar:DataDir={file}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: invalid configuration: 'Sidecar:DataDir' '{file}' is a file, not a folder."));
    }

    [Test]
    public async Task KbStats_DataDirCannotBeCreated_Exits2NamingTheSetting()
    {
        using var temp = new TempDirectory();
        var under = Path.Combine(temp.File("afile", "not a folder"), "data");
        var (code, _, error) = await RunAsync("kb", "stats", $"--Sidecar:DataDir={under}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith($"error: invalid configuration: 'Sidecar:DataDir' '{under}' cannot be created: ").And.Not.Contain("\n"));
    }

    [TestCase("kb", "stats")]
    [TestCase("tokens", "create", "--role", "Admin")]
    public async Task Command_DatabaseFileIsNotADatabase_Exits2NamingTheFile(params string[] command)
    {
        using var data = new TempDirectory();
        var db = Path.Combine(data.Path, "sidecar.db");
        await File.WriteAllBytesAsync(db, Enumerable.Range(0, 8192).Select(i => (byte)(i * 131 % 251)).ToArray());
        var (code, output, error) = await RunAsync([.. command, $"--Sidecar:DataDir={data.Path}"]);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith($"error: invalid configuration: '{db}' is not a SQLite database").And.Contain("'Sidecar:DataDir'").And.Not.Contain("\n"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task UnknownCommand_Exits2()
    {
        var (code, _, error) = await RunAsync("frobnicate");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error, Does.Contain("unknown command 'frobnicate'"));
    }

    [TestCase(new[] { "tokens", "create", "--role", "Admin", "--nmae", "reporting" }, "unknown option '--nmae'")]
    [TestCase(new[] { "report", "acceptance", "--form", "2030-01-01", "--format", "csv" }, "unknown option '--form'")]
    [TestCase(new[] { "kb", "stats", "--bogus" }, "unknown option '--bogus'")]
    [TestCase(new[] { "users", "list", "--verbose" }, "unknown option '--verbose'")]
    [TestCase(new[] { "tokens", "list", "extra" }, "unexpected argument 'extra'")]
    [TestCase(new[] { "report", "acceptance", "bogus" }, "unexpected argument 'bogus'")]
    public async Task Run_UnknownOptionOrStrayArgument_Exits2NamingIt(string[] args, string reason)
    {
        using var data = new TempDirectory();
        var (code, output, error) = await RunAsync([.. args, $"--Sidecar:DataDir={data.Path}"]);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(reason).And.Not.Contain("\n"));
        Assert.That(output, Is.Empty, "nothing ran");
    }

    [TestCase("serve")]
    [TestCase("demo")]
    public async Task Run_UrlsWithoutAValue_Exits2NamingIt(string command)
    {
        var (code, output, error) = await RunAsync(command, "--urls");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain("'--urls'").And.Not.Contain("\n"));
    }

    [TestCase("--url", "http://127.0.0.1:1")]
    [TestCase("--ulrs", "http://127.0.0.1:1")]
    public async Task Serve_UrlsMistyped_Exits2NamingIt(string option, string value)
    {
        var (code, output, error) = await RunAsync("serve", option, value);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith($"error: unknown option '{option}'"));
    }

    [Test]
    public async Task Run_ConfigurationWrittenKeyValue_StillReachesTheHost()
    {
        using var data = new TempDirectory();
        var created = await RunAsync("tokens", "create", "--role", "Admin", "--name", "reporting", "--Logging:LogLevel:Default=Warning", $"--Sidecar:DataDir={data.Path}");
        var listed = await RunAsync("tokens", "list", $"--Sidecar:DataDir={data.Path}");
        Assert.That(created.Code, Is.EqualTo(SidecarCli.Ok), created.Error);
        Assert.That(listed.Out, Does.Contain("reporting"), "the token went to the data dir the setting named");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Run_SettingWithItsValueApart_Exits2SayingHowToWriteIt()
    {
        using var data = new TempDirectory();
        var (code, output, error) = await RunAsync("kb", "stats", "--Sidecar:DataDir", data.Path);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Does.StartWith("error: unknown option '--Sidecar:DataDir'").And.Contain("--Key=Value"));
    }

    [Test]
    public async Task KbImportThenStats_CountsTheArticles()
    {
        using var data = new TempDirectory();
        using var articles = new TempDirectory();
        articles.File("a.md", "# Alpha\n\nSome text about alpha.");
        articles.File("b.txt", "Beta\n\nSome text about beta.");
        articles.File("ignored.pdf", "not an article");

        var import = await RunAsync("kb", "import", articles.Path, $"--Sidecar:DataDir={data.Path}");
        var stats = await RunAsync("kb", "stats", $"--Sidecar:DataDir={data.Path}");

        Assert.That(import.Code, Is.EqualTo(SidecarCli.Ok), import.Error);
        Assert.That(import.Out, Does.Contain("2 added"));
        Assert.That(stats.Out, Does.Contain("2 articles"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

/// <summary><c>eval intents</c> through the real command line.</summary>
[NonParallelizable] // redirects Console
public class EvalIntentsCliTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Test]
    public async Task EvalIntents_Json_PrintsOneObjectWithTheKeys()
    {
        using var dir = new TempDirectory();
        var train = Copilot.Classification.IntentClassifierTests.History()
            .Select(h => $"\"{h.Text}\",{h.Intent}").Prepend("text,category");
        dir.File("train.csv", string.Join("\n", train));
        dir.File("test.csv", "text,category\n\"refund missing for my returned coat\",refund_status\n\"cannot sign in, password wrong\",login_problem\n");
        var (code, output, _) = await RunAsync("eval", "intents", "--train", Path.Combine(dir.Path, "train.csv"), "--test", Path.Combine(dir.Path, "test.csv"), "--json");
        Assert.That(code, Is.EqualTo(SidecarCli.Ok));
        var json = System.Text.Json.Nodes.JsonNode.Parse(output.Trim())!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.SupersetOf(new[] { "examples", "accuracy", "macro_f1", "train_seconds", "p50_ms", "p99_ms", "ece", "ece_uncalibrated" }));
        Assert.That(json["examples"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(json["ece"]!.GetValue<double>(), Is.InRange(0.0, 1.0));
        Assert.That(output.Trim(), Does.Not.Contain("\n"));
    }

    [Test]
    public async Task EvalIntents_TestCategoryNeverTrainedOn_IsScoredAsAnErrorAndWarnedAbout()
    {
        using var dir = new TempDirectory();
        var train = Copilot.Classification.IntentClassifierTests.History()
            .Select(h => $"\"{h.Text}\",{h.Intent}").Prepend("text,category");
        dir.File("train.csv", string.Join("\n", train));
        dir.File("test.csv", "text,category\n\"refund missing for my returned coat\",refund_status\n\"where is my parcel\",not_in_training\n");
        var (code, output, error) = await RunAsync("eval", "intents", "--train", Path.Combine(dir.Path, "train.csv"), "--test", Path.Combine(dir.Path, "test.csv"), "--json");
        Assert.That(code, Is.EqualTo(SidecarCli.Ok));
        Assert.That(error.Trim(), Is.EqualTo("warning: 1 of 2 test examples have a category the training file never shows; they count as errors"));
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(output.Trim())!["accuracy"]!.GetValue<double>(), Is.LessThanOrEqualTo(0.5));
    }

    [Test]
    public async Task EvalIntents_BlankCategories_AreSkippedCountedAndNotAClass()
    {
        using var dir = new TempDirectory();
        var train = Copilot.Classification.IntentClassifierTests.History()
            .Select(h => $"\"{h.Text}\",{h.Intent}").Prepend("text,category").Append("\"no label on this one\",").Append("\"nor this\",  ");
        dir.File("train.csv", string.Join("\n", train));
        dir.File("test.csv", "text,category\n\"refund missing for my returned coat\",refund_status\n\"unlabelled row\",\n");
        var (code, output, error) = await RunAsync("eval", "intents", "--train", Path.Combine(dir.Path, "train.csv"), "--test", Path.Combine(dir.Path, "test.csv"), "--json");
        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var json = System.Text.Json.Nodes.JsonNode.Parse(output.Trim())!.AsObject();
        Assert.That(json["labels"]!.GetValue<int>(), Is.EqualTo(3), "three intents; an empty category is not a fourth");
        Assert.That(json["examples"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(json["skipped_train"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(json["skipped_test"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(json["accuracy"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(error, Does.Contain("skipped 2 row(s)").And.Contain("skipped 1 row(s)"));
    }

    [Test]
    public async Task EvalIntents_Table_PrintsTheCalibrationLine()
    {
        using var dir = new TempDirectory();
        var train = Copilot.Classification.IntentClassifierTests.History()
            .Select(h => $"\"{h.Text}\",{h.Intent}").Prepend("text,category");
        dir.File("train.csv", string.Join("\n", train));
        dir.File("test.csv", "text,category\n\"refund missing for my returned coat\",refund_status\n");
        var (code, output, _) = await RunAsync("eval", "intents", "--train", Path.Combine(dir.Path, "train.csv"), "--test", Path.Combine(dir.Path, "test.csv"));
        Assert.That(code, Is.EqualTo(SidecarCli.Ok));
        Assert.That(output, Does.Match(@"calibration: ECE \d\.\d{4} \(10 bins; \d\.\d{4} before temperature scaling\)"));
    }

    [TestCase("text,category\na,\nb, \n", "no row with a category")]
    [TestCase("text,label\na,b\n", "'category'")]
    [TestCase("", "empty")]
    [TestCase("text,category\n\"never closed,x\n", "never closed")]
    public async Task EvalIntents_BadTrainFile_Exits2WithOneLine(string content, string reason)
    {
        using var dir = new TempDirectory();
        dir.File("train.csv", content);
        dir.File("test.csv", "text,category\na,b\n");
        var (code, _, error) = await RunAsync("eval", "intents", "--train", Path.Combine(dir.Path, "train.csv"), "--test", Path.Combine(dir.Path, "test.csv"));
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith("error:").And.Contain(reason).And.Not.Contain("\n"));
    }

    [Test]
    public async Task EvalIntents_ValueOnTheJsonFlag_Exits2NamingTheOption()
    {
        using var dir = new TempDirectory();
        var train = dir.File("train.csv", "text,category\na,b\nc,d\n");
        var (code, output, error) = await RunAsync("eval", "intents", "--train", train, "--test", train, "--json=maybe");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Is.EqualTo("error: option '--json' does not take the value 'maybe'"));
    }

    [Test]
    public async Task EvalIntents_LongFirstLine_QuotesAShortExcerptOfTheHeader()
    {
        using var dir = new TempDirectory();
        var train = dir.File("docs.jsonl", "{\"doc_id\": \"a\", \"text\": \"" + new string('x', 9000) + "\"}\n");
        var (code, _, error) = await RunAsync("eval", "intents", "--train", train, "--test", train);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.StartWith($"error: '{train}' has no column 'text' (header: '{{\"doc_id\": \"a\""));
        Assert.That(error.Trim().Length, Is.LessThan(train.Length + 150));
    }

    [Test]
    public async Task EvalIntents_MissingFile_Exits2()
    {
        var (code, _, error) = await RunAsync("eval", "intents", "--train", "/nonexistent/train.csv", "--test", "/nonexistent/test.csv");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error, Does.Contain("does not exist"));
    }
}

/// <summary><c>history import</c> through the real command line, against a real SQLite data dir.</summary>
[NonParallelizable] // redirects Console
public class HistoryImportCliTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Test]
    public async Task HistoryImport_Csv_StoresAndTrains()
    {
        using var data = new TempDirectory();
        var lines = Copilot.Classification.IntentClassifierTests.History()
            .Select(h => $"\"{h.Text}\",{h.Intent},{string.Join(' ', h.Tags)}").Prepend("text,intent,tags");
        var csv = data.File("history.csv", string.Join("\n", lines));
        var (code, output, error) = await RunAsync("history", "import", csv, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        Assert.That(output, Does.Contain("Stored 18 of 18 past tickets").And.Contain("(18 new)").And.Contain("3 intents").And.Contain("5 tags"));
    }

    [Test]
    public async Task HistoryImport_EmptyAndRepeatedRows_ReportsRowsStoredAndSkippedByReason()
    {
        using var data = new TempDirectory();
        var csv = data.File("history.csv", "text,intent,tags\nwhere is my parcel,shipping,a\n\"  \",shipping,a\nwhere is my parcel ,refund,b\nrefund please,refund,b\n");
        var (code, output, error) = await RunAsync("history", "import", csv, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        Assert.That(output, Does.StartWith($"Stored 2 of 4 past tickets from {csv} (2 new; skipped 2: 1 empty text, 1 same text as an earlier row)"));

        var again = await RunAsync("history", "import", csv, $"--Sidecar:DataDir={data.Path}");
        Assert.That(again.Out, Does.StartWith($"Stored 2 of 4 past tickets from {csv} (0 new, 2 already known (labels updated); skipped 2:"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [TestCase("text,intent,tags\n\"where is my parcel,shipping,a\n\"refund please\",refund,b\nthird,refund,c\n", "line 2: the quote opened on this line closes on line 3 with text after it")]
    [TestCase("text,intent,tags\nok,shipping,a\n\"where is my parcel,shipping,a\nrefund please,refund,b\n", "line 3: the quote opened on this line is never closed")]
    public async Task HistoryImport_UnclosedQuote_Exits2NamingTheLineItOpened(string content, string reason)
    {
        using var data = new TempDirectory();
        var csv = data.File("history.csv", content);
        var (code, output, error) = await RunAsync("history", "import", csv, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage), output);
        Assert.That(error.Trim(), Is.EqualTo($"error: '{csv}' {reason}" + (reason.Contains("closes", StringComparison.Ordinal) ? "; is a closing quote missing?" : "")));
        Assert.That(output, Is.Empty, "nothing stored");
    }

    [Test]
    public async Task HistoryImport_Directory_Exits2SayingItIsADirectory()
    {
        using var data = new TempDirectory();
        var (code, _, error) = await RunAsync("history", "import", data.Path, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Is.EqualTo($"error: '{data.Path}' is a directory, not a CSV file"));
    }

    [Test]
    public async Task HistoryImport_BinaryFile_QuotesAShortPrintableExcerptOfTheHeader()
    {
        using var data = new TempDirectory();
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 256)).Where(b => b != (byte)'\n').ToArray();
        var csv = Path.Combine(data.Path, "bin.csv");
        await File.WriteAllBytesAsync(csv, bytes);
        var (code, _, error) = await RunAsync("history", "import", csv, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        var line = error.TrimEnd('\n');
        Assert.That(line, Does.StartWith($"error: '{csv}' has no column 'text' (header: '"));
        Assert.That(line.Where(c => char.IsControl(c) || c == '\uFFFD'), Is.Empty, "no raw bytes");
        Assert.That(line.Length, Is.LessThan(csv.Length + 150));
    }

    [Test]
    public async Task HistoryImport_MissingIntentColumn_Exits2NamingIt()
    {
        using var data = new TempDirectory();
        var csv = data.File("history.csv", "text,tags\nhello,a\n");
        var (code, _, error) = await RunAsync("history", "import", csv, $"--Sidecar:DataDir={data.Path}");
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(error.Trim(), Does.Contain("'intent'").And.Not.Contain("\n"));
    }
}

/// <summary>A command's results on stdout, its logs on stderr: as a child process, where the console logger writes to the real streams.</summary>
public class CliOutputStreamsTests
{
    [Test]
    public async Task HistoryImport_Results_OnStdoutAndLogsOnStderr()
    {
        using var data = new TempDirectory();
        var csv = data.File("history.csv", "text,intent,tags\nwhere is my parcel,shipping,a\nrefund please,refund,b\n");

        var result = await CliProcess.RunAsync(data.Path, TimeSpan.FromSeconds(60), "history", "import", csv, $"--Sidecar:DataDir={data.Path}");

        Assert.That(result.Code, Is.EqualTo(SidecarCli.Ok), result.Out + result.Error);
        Assert.That(result.Out.Trim(), Does.StartWith("Stored 2 of 2 past tickets").And.Not.Contain("\n"), "only the result");
        Assert.That(result.Error, Does.Contain("info: HelpdeskSidecar.Copilot.Classification.ClassifierHost"), "the log went to stderr");
    }
}
