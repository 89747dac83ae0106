using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Reports.Themes;

/// <summary>
/// The themes report over HTTP and on the command line, on messages stored through the real store (SQLite and
/// PostgreSQL), with a clock the test sets: the window, the weeks and "rising" all follow from it.
/// </summary>
[NonParallelizable] // the CLI part redirects Console
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ThemesReportTests(string provider)
{
    private SidecarTestHost _host = null!;
    private string[] _storage = [];

    private string[] Data => [$"--Sidecar:DataDir={_host.DataDir}", "--Sidecar:Themes:Encoder=hashed", "--Sidecar:Themes:DistanceThreshold=0.8", .. _storage.Select(s => "--" + s)];

    [SetUp]
    public async Task StartAsync()
    {
        _storage = await StorageProviders.SettingsAsync(provider);
        _host = await SidecarTestHost.StartAsync(["Sidecar:Themes:Encoder=hashed", "Sidecar:Themes:DistanceThreshold=0.8", .. _storage],
            b => b.Services.AddSingleton<TimeProvider>(new ManualTimeProvider(ThemeMessages.Now)));
        await ThemeMessages.AddAsync(_host.App.Services);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private static JsonNode ThemeNamed(JsonNode report, string word) =>
        report["themes"]!.AsArray().SingleOrDefault(t => t!["words"]!.AsArray().Any(w => w!.GetValue<string>() == word))
        ?? throw new AssertionException($"no theme named by '{word}' in {report["themes"]!.ToJsonString()}");

    [Test]
    public async Task Api_Manager_GetsTwoThemes_WithWeeklyTrendSharesAcceptanceAndTheRisingOne()
    {
        var report = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/themes"))!;
        // Default window: the 8 ISO weeks up to today by the test's clock.
        Assert.That(report["from"]!.GetValue<string>(), Is.EqualTo("2026-01-12"));
        Assert.That(report["to"]!.GetValue<string>(), Is.EqualTo("2026-03-04"));
        Assert.That(report["weeks"]!.AsArray().Select(w => w!.GetValue<string>()),
            Is.EqualTo(new[] { "2026-W03", "2026-W04", "2026-W05", "2026-W06", "2026-W07", "2026-W08", "2026-W09", "2026-W10" }));
        Assert.That(report["messages"]!.GetValue<int>(), Is.EqualTo(25));
        Assert.That(report["themes"]!.AsArray(), Has.Count.EqualTo(2));

        var strike = ThemeNamed(report, "parcel");
        Assert.That(strike["count"]!.GetValue<int>(), Is.EqualTo(10));
        Assert.That(strike["weekly"]!.AsArray().Select(w => w!.GetValue<int>()), Is.EqualTo(new[] { 0, 0, 0, 1, 1, 1, 1, 6 }));
        Assert.That(strike["gap_share"]!.GetValue<double>(), Is.EqualTo(0.3));
        Assert.That(strike["escalation_share"]!.GetValue<double>(), Is.EqualTo(0.2));
        Assert.That(strike["rising"]!.GetValue<bool>(), Is.True);
        Assert.That(strike["baseline"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(strike["examples"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(strike["examples"]![0]!.GetValue<string>(), Does.Contain("Order 21"), "newest first");

        var password = ThemeNamed(report, "password");
        Assert.That(password["weekly"]!.AsArray().Select(w => w!.GetValue<int>()), Is.EqualTo(new[] { 0, 0, 0, 3, 3, 3, 3, 3 }));
        Assert.That(password["rising"]!.GetValue<bool>(), Is.False, "3 a week against a baseline of 3");
        Assert.That(password["drafts"]!.GetValue<int>(), Is.EqualTo(15));
        Assert.That(password["acceptance_rate"]!.GetValue<double>(), Is.EqualTo(0.6667), "10 sent as is, 5 rejected");
        Assert.That(report["rising"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { strike["name"]!.GetValue<string>() }));
    }

    [Test]
    public async Task Api_WindowEndingTheWeekBefore_NothingRises()
    {
        var report = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/themes?from=2026-01-26&to=2026-02-27"))!;
        Assert.That(report["rising"]!.AsArray(), Is.Empty, "the strike theme ran at its baseline until W09");
        Assert.That(report["themes"]!.AsArray(), Has.Count.EqualTo(2), report.ToJsonString());
        Assert.That(ThemeNamed(report, "parcel")["weekly"]!.AsArray().Select(w => w!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 1, 1, 1 }), "W05–W09");
    }

    [Test]
    public async Task Api_OpsLead_SeesOnlyTheRisingTheme_WithoutCustomerTextOrAcceptance_AgentIsRefused()
    {
        using var opsLead = _host.ClientWithToken(await _host.CreateTokenAsync(Role.OpsLead));
        var report = (await opsLead.GetFromJsonAsync<JsonObject>("/api/reports/themes"))!;
        var theme = report["themes"]!.AsArray().Single()!;
        Assert.That(theme["rising"]!.GetValue<bool>(), Is.True);
        Assert.That(theme["words"]!.AsArray().Select(w => w!.GetValue<string>()), Does.Contain("parcel"));
        Assert.That(theme["examples"]!.AsArray(), Is.Empty);
        Assert.That(theme["acceptance_rate"], Is.Null);

        using var agent = _host.ClientWithToken(await _host.CreateTokenAsync(Role.Agent));
        using var refused = await agent.GetAsync("/api/reports/themes");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Api_Csv_OneRowPerTheme_AColumnPerWeek()
    {
        using var response = await _host.Client.GetAsync("/api/reports/themes?format=csv");
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("themes_2026-01-12_2026-03-04.csv"));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("theme,count,share,gaps,gap_share,escalations,escalation_share,drafts,accepted,acceptance_rate,rising,baseline,"
            + "2026-W03,2026-W04,2026-W05,2026-W06,2026-W07,2026-W08,2026-W09,2026-W10,examples"));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines.Single(l => l.Contains("parcel", StringComparison.Ordinal)), Does.Contain(",10,0.4,3,0.3,2,0.2,5,0,,yes,1,0,0,0,1,1,1,1,6,"));
    }

    [TestCase("from=2026-02-30", "'from'")]
    [TestCase("format=xml", "'format'")]
    [TestCase("from=2026-03-04&to=2026-03-01", "'to' must not be before 'from'")]
    public async Task Api_BadQuery_IsAProblem(string query, string named)
    {
        using var response = await _host.Client.GetAsync("/api/reports/themes?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain(named));
    }

    [Test]
    public async Task Cli_Json_ReadsTheSameStore()
    {
        var (code, output, error) = await CliRunner.RunAsync(["report", "themes", "--format", "json", "--from", "2026-01-12", "--to", "2026-03-04", .. Data]);
        Assert.That(code, Is.EqualTo(0), error);
        var report = JsonNode.Parse(output)!;
        Assert.That(report["themes"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(ThemeNamed(report, "parcel")["weekly"]!.AsArray().Select(w => w!.GetValue<int>()), Is.EqualTo(new[] { 0, 0, 0, 1, 1, 1, 1, 6 }));

        var table = await CliRunner.RunAsync(["report", "themes", "--from", "2026-01-12", "--to", "2026-03-04", .. Data]);
        Assert.That(table.Code, Is.EqualTo(0), table.Error);
        Assert.That(table.Out, Does.Contain("RISING").And.Contain("25 customer messages, 2 themes"));
    }

    [TestCase("--from", "2026-02-30", "--from must be a date")]
    [TestCase("--format", "xml", "--format must be one of table, csv, json")]
    [TestCase("--to", "yesterday", "--to must be a date")]
    public async Task Cli_BadOption_Exits2WithOneLineNamingIt(string option, string value, string message)
    {
        var (code, output, error) = await CliRunner.RunAsync(["report", "themes", option, value, .. Data]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("error: " + message));
    }
}
