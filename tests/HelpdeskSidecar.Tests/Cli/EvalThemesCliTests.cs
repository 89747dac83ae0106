using System.Text;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>eval themes --test &lt;csv&gt; [--json]</c> through the real command line, with the hashed encoder (no model load).</summary>
[NonParallelizable] // redirects Console
public class EvalThemesCliTests
{
    /// <summary>Three categories, each worded around its own words, 6 texts each.</summary>
    private static string ThreeCategories(TempDirectory dir)
    {
        var csv = new StringBuilder("text,category\n");
        string[][] groups =
        [
            ["my card has not arrived yet", "card still not arrived after a week", "when will my new card arrive", "card delivery not arrived", "has my card been sent or not arrived", "waiting for my card to arrive"],
            ["exchange rate was wrong on my payment", "wrong exchange rate applied", "why is the exchange rate so bad", "exchange rate for euro payment wrong", "bad exchange rate on transfer", "what exchange rate do you use"],
            ["how do I reset my pin", "forgot my pin so reset please", "pin blocked after wrong pin", "change my pin number", "reset pin at the atm", "my pin does not work"],
        ];
        string[] names = ["card_arrival", "exchange_rate", "pin"];
        for (var i = 0; i < 6; i++)
        {
            for (var g = 0; g < 3; g++)
                csv.Append(groups[g][i]).Append(',').Append(names[g]).Append('\n');
        }
        return dir.File("themes.csv", csv.ToString());
    }

    [Test]
    public async Task EvalThemes_Json_HasExamplesThemesAndAmi_AndFindsTheThreeCategories()
    {
        using var dir = new TempDirectory();
        var path = ThreeCategories(dir);
        // The shipped defaults: the minilm sentence encoder and the tuned threshold (a few seconds for the model to load).
        var (code, output, error) = await CliRunner.RunAsync("eval", "themes", "--test", path, "--json");
        Assert.That(code, Is.EqualTo(SidecarCli.Ok), error);
        var json = JsonNode.Parse(output.Trim())!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.SupersetOf(new[] { "examples", "themes", "ami" }));
        Assert.That(json["examples"]!.GetValue<int>(), Is.EqualTo(18));
        Assert.That(json["themes"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(json["ami"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(json["normalization"]!.GetValue<string>(), Is.EqualTo("arithmetic"));
        Assert.That(json["encoder"]!.GetValue<string>(), Is.EqualTo("minilm"));

        // The same run twice is the same grouping (deterministic), and a slice of 9 shuffled rows is a different file.
        var once = await CliRunner.RunAsync("eval", "themes", "--test", path, "--encoder", "hashed", "--threshold", "0.9", "--json");
        var again = await CliRunner.RunAsync("eval", "themes", "--test", path, "--encoder", "hashed", "--threshold", "0.9", "--json");
        Assert.That(JsonNode.Parse(once.Out.Trim())!["ami"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(again.Out, Is.EqualTo(once.Out.Replace(Seconds(once.Out), Seconds(again.Out), StringComparison.Ordinal)));
        var slice = await CliRunner.RunAsync("eval", "themes", "--test", path, "--encoder", "hashed", "--shuffle-seed", "3", "--slice", "0:9", "--json");
        Assert.That(JsonNode.Parse(slice.Out.Trim())!["examples"]!.GetValue<int>(), Is.EqualTo(9));
    }

    private static string Seconds(string json) => "\"seconds\":" + JsonNode.Parse(json.Trim())!["seconds"]!.ToJsonString();

    [TestCase("--threshold", "abc", "--threshold must be a number")]
    [TestCase("--linkage", "single", "--linkage must be average or ward")]
    [TestCase("--encoder", "bert", "--encoder must be one of")]
    [TestCase("--slice", "5", "--slice must be start:count")]
    [TestCase("--themes", "0", "--themes must be a whole number of at least 1")]
    public async Task EvalThemes_BadOption_Exits2WithOneLine(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string[] encoder = option == "--encoder" ? [] : ["--encoder", "hashed"];
        var (code, output, error) = await CliRunner.RunAsync(["eval", "themes", "--test", ThreeCategories(dir), .. encoder, option, value]);
        Assert.That(code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("error: " + message));
    }

    [Test]
    public async Task EvalThemes_MissingOrMalformedFile_Exits2()
    {
        using var dir = new TempDirectory();
        var missing = await CliRunner.RunAsync("eval", "themes", "--test", Path.Combine(dir.Path, "nope.csv"));
        Assert.That(missing.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(missing.Error, Does.Contain("nope.csv"));
        var malformed = await CliRunner.RunAsync("eval", "themes", "--test", dir.File("bad.csv", "just,one,row,too,many\n"));
        Assert.That(malformed.Code, Is.EqualTo(SidecarCli.BadUsage), malformed.Error);
        Assert.That(malformed.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}
