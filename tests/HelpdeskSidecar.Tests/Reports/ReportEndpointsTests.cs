using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Reports;

/// <summary>
/// The gap, usage and overview reports over HTTP and on the command line, on suggestions stored through the real
/// store in a real SQLite file, with a clock the test sets (so "today" and "this week" are known).
/// </summary>
[NonParallelizable] // the CLI part redirects Console
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ReportEndpointsTests(string provider)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero); // a Wednesday, ISO week 2026-W10

    private SidecarTestHost _host = null!;
    private string[] _storage = [];

    /// <summary>Where the CLI finds the host's data: the data dir, and the database when it is PostgreSQL.</summary>
    private string[] Data => [$"--Sidecar:DataDir={_host.DataDir}", .. _storage.Select(s => "--" + s)];

    [SetUp]
    public async Task StartAsync()
    {
        _storage = await StorageProviders.SettingsAsync(provider);
        _host = await SidecarTestHost.StartAsync(["Sidecar:Mode=Live", .. _storage], b => b.Services.AddSingleton<TimeProvider>(new ManualTimeProvider(Now)));
        var store = _host.Service<SuggestionStore>();
        await AddAsync(store, "t1", Now.AddHours(-1), SuggestionKind.KnowledgeGap, "partnership", 40, question: "Can we discuss wholesale rates for [EMAIL_1]?");
        await AddAsync(store, "t2", Now.AddDays(-2), SuggestionKind.KnowledgeGap, "partnership", 60, question: "Do you hire couriers in Porto?");
        await AddAsync(store, "t3", Now.AddHours(-2), SuggestionKind.Draft, "refund", 1500, new ModelTrace("openai", "gpt-4o-mini", "draft-v1", 2, 1200, 300, 0.0021m, 1400, null));
        await AddAsync(store, "t4", Now.AddDays(-10), SuggestionKind.Draft, "refund", 20); // last week: outside the overview's week
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private static Task AddAsync(SuggestionStore store, string ticket, DateTimeOffset at, SuggestionKind kind, string intent, double totalMs,
        ModelTrace? model = null, string? question = null) => store.InsertAsync(new Suggestion
        {
            Id = Guid.CreateVersion7(at).ToString("N"), Provider = "zendesk", TicketId = ticket, TriggerKey = "c1", CreatedAt = at, Kind = kind,
            Mode = "Shadow", Draft = kind == SuggestionKind.Draft ? "Refunds take 5 days." : null, Note = "note", Status = SuggestionStatus.Shadow,
            Question = question,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, totalMs), Model = model,
                Understanding = new HelpdeskSidecar.Copilot.TicketUnderstanding { Redactor = "test", Intent = new HelpdeskSidecar.Copilot.LabelScore(intent, 0.9) },
            },
        }, CancellationToken.None);

    [Test]
    public async Task Gaps_JsonAndCsv_GroupByIntentWithRedactedExamples()
    {
        var gaps = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/gaps?examples=5"))!;
        var group = gaps["groups"]!.AsArray().Single()!;
        Assert.That(group["intent"]!.GetValue<string>(), Is.EqualTo("partnership"));
        Assert.That(group["gaps"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(group["examples"]!.AsArray().Select(e => e!.GetValue<string>()),
            Is.EqualTo(new[] { "Can we discuss wholesale rates for [EMAIL_1]?", "Do you hire couriers in Porto?" }), "newest first");
        Assert.That(gaps["total"]!["suggestions"]!.GetValue<int>(), Is.EqualTo(4));

        using var csv = await _host.Client.GetAsync("/api/reports/gaps?format=csv&from=2026-03-04&to=2026-03-04");
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That((await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "intent,gaps,suggestions,gap_rate,examples",
            "partnership,1,1,1,Can we discuss wholesale rates for [EMAIL_1]?",
            "(total),1,2,0.5,",
        }));
    }

    [Test]
    public async Task Usage_ByModel_TokensCostAndLatency()
    {
        var usage = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/usage?by=model"))!;
        var groups = usage["groups"]!.AsArray().ToDictionary(g => g!["key"]!.GetValue<string>());
        Assert.That(groups.Keys, Is.EquivalentTo(new[] { "gpt-4o-mini", "offline" }));
        Assert.That(groups["gpt-4o-mini"]!["input_tokens"]!.GetValue<long>(), Is.EqualTo(1200));
        Assert.That(groups["gpt-4o-mini"]!["output_tokens"]!.GetValue<long>(), Is.EqualTo(300));
        Assert.That(groups["gpt-4o-mini"]!["cost_usd"]!.GetValue<decimal>(), Is.EqualTo(0.0021m));
        Assert.That(groups["gpt-4o-mini"]!["model_calls"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(groups["offline"]!["suggestions"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(groups["offline"]!["input_tokens"]!.GetValue<long>(), Is.EqualTo(0));
        Assert.That(usage["total"]!["latency_p50_ms"]!.GetValue<double>(), Is.EqualTo(40));
        Assert.That(usage["total"]!["latency_p95_ms"]!.GetValue<double>(), Is.EqualTo(1500));

        using var csv = await _host.Client.GetAsync("/api/reports/usage?by=intent&format=csv");
        Assert.That(await csv.Content.ReadAsStringAsync(), Does.Contain("\r\nrefund,2,2,1200,300,0.0021,20,1500\r\n"));
    }

    [Test]
    public async Task Overview_TodayAndThisWeek_FromTheInjectedClock()
    {
        var overview = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/reports/overview"))!;
        Assert.That(overview["mode"]!.GetValue<string>(), Is.EqualTo("live"));
        var today = overview["today"]!;
        Assert.That(today["from"]!.GetValue<string>(), Is.EqualTo("2026-03-04"));
        Assert.That((today["suggestions"]!.GetValue<int>(), today["drafts"]!.GetValue<int>(), today["knowledge_gaps"]!.GetValue<int>()), Is.EqualTo((2, 1, 1)));
        var week = overview["week"]!;
        Assert.That((week["from"]!.GetValue<string>(), week["to"]!.GetValue<string>()), Is.EqualTo(("2026-03-02", "2026-03-08")));
        Assert.That((week["suggestions"]!.GetValue<int>(), week["knowledge_gaps"]!.GetValue<int>()), Is.EqualTo((3, 2)));
        Assert.That(week["input_tokens"]!.GetValue<long>(), Is.EqualTo(1200));
        Assert.That(week["cost_usd"]!.GetValue<decimal>(), Is.EqualTo(0.0021m));
        Assert.That(week["acceptance_rate"], Is.Null, "no verdict yet");
        Assert.That(week["pending"]!.GetValue<int>(), Is.EqualTo(1));

        var inProcess = await _host.Service<HelpdeskSidecar.Reports.OverviewQuery>().GetAsync(CancellationToken.None);
        Assert.That(inProcess.Week.Suggestions, Is.EqualTo(3), "the console calls the same query in process");
    }

    [TestCase("/api/reports/acceptance?to=9999-12-31", "pending", 2)] // both drafts, neither has a verdict yet
    [TestCase("/api/reports/acceptance?from=0001-01-01&to=9999-12-31", "pending", 2)]
    [TestCase("/api/reports/gaps?to=9999-12-31", "suggestions", 4)]
    [TestCase("/api/reports/usage?from=0001-01-01&to=9999-12-31", "suggestions", 4)]
    public async Task Report_WindowToTheLastRepresentableDay_CountsEverything(string url, string field, int count)
    {
        using var response = await _host.Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(report["total"]![field]!.GetValue<int>(), Is.EqualTo(count));
        Assert.That(report["to"]!.GetValue<string>(), Is.EqualTo("9999-12-31"));
    }

    [TestCase("acceptance")]
    [TestCase("gaps")]
    [TestCase("usage")]
    public async Task Cli_WindowToTheLastRepresentableDay_Exits0(string report)
    {
        var (code, output, error) = await CliRunner.RunAsync(
            ["report", report, "--from", "0001-01-01", "--to", "9999-12-31", "--format", "json", .. Data]);
        Assert.That(code, Is.EqualTo(0), error);
        var total = JsonNode.Parse(output)!["total"]!;
        Assert.That(total["suggestions"]!.GetValue<int>() + (total["pending"]?.GetValue<int>() ?? 0), Is.GreaterThan(0));
    }

    [TestCase("/api/reports/gaps?examples=many", "examples")]
    [TestCase("/api/reports/gaps?examples=21", "examples")]
    [TestCase("/api/reports/usage?by=brand", "by")]
    [TestCase("/api/reports/usage?from=2026-02-30", "from")]
    [TestCase("/api/reports/tags?format=xml", "format")]
    [TestCase("/api/reports/gaps?by=agent", "by")]
    [TestCase("/api/reports/tags?by=intent", "by")]
    [TestCase("/api/reports/overview?format=csv", "format")]
    public async Task BadQuery_Is400ProblemNamingTheParameter(string url, string parameter)
    {
        using var response = await _host.Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"'{parameter}'"));
    }

    [TestCase("/api/reports/gaps?by=agent", "'by' must be one of intent, week")]
    [TestCase("/api/reports/overview?format=csv", "'format' can only be json")]
    [TestCase("/api/reports/tags?by=intent", "'by' can only be tag")]
    public async Task UnsupportedByOrFormat_Is400NamingTheAllowedValues(string url, string detail)
    {
        using var response = await _host.Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.StartWith(detail));
    }

    [TestCase("usage", "--by", "brand", "--by")]
    [TestCase("usage", "--to", "2026-02-30", "--to")]
    [TestCase("gaps", "--from", "yesterday", "--from")]
    [TestCase("gaps", "--examples", "lots", "--examples")]
    [TestCase("tags", "--format", "xml", "--format")]
    [TestCase("gaps", "--by", "agent", "--by")]
    public async Task Cli_BadOption_Exits2WithOneLineNamingIt(string report, string option, string value, string named)
    {
        var (code, _, error) = await CliRunner.RunAsync(["report", report, option, value, .. Data]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: " + named).And.Not.Contain("\n"));
    }

    [Test]
    public async Task Cli_GapsUsageOverviewTags_ReadTheSameStore()
    {
        var data = Data;
        var gaps = await CliRunner.RunAsync(["report", "gaps", "--format", "json", "--examples", "1", .. data]);
        Assert.That(gaps.Code, Is.EqualTo(0), gaps.Error);
        var group = JsonNode.Parse(gaps.Out)!["groups"]!.AsArray().Single()!;
        Assert.That(group["examples"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "Can we discuss wholesale rates for [EMAIL_1]?" }));

        var usage = await CliRunner.RunAsync(["report", "usage", "--by", "model", "--format", "csv", .. data]);
        Assert.That(usage.Code, Is.EqualTo(0), usage.Error);
        Assert.That(usage.Out, Does.Contain("\r\ngpt-4o-mini,1,2,1200,300,0.0021,1500,1500\r\n"));

        var overview = await CliRunner.RunAsync(["report", "overview", .. data]);
        Assert.That(overview.Code, Is.EqualTo(0), overview.Error);
        Assert.That(overview.Out, Does.Contain("today").And.Contain("week").And.Contain("Mode: shadow"), "the CLI's own configuration: Shadow by default");

        var tags = await CliRunner.RunAsync(["report", "tags", "--format", "csv", .. data]);
        Assert.That(tags.Code, Is.EqualTo(0), tags.Error);
        Assert.That(tags.Out, Is.EqualTo("tag,applied,suggested,kept,dropped,precision\r\n"));

        var bad = await CliRunner.RunAsync(["report", "gaps", "--examples", "-1", .. data]);
        Assert.That(bad.Code, Is.EqualTo(2));
        Assert.That(bad.Error.Trim(), Does.StartWith("error: --examples").And.Not.Contain("\n"));
        var badFormat = await CliRunner.RunAsync(["report", "overview", "--format", "csv", .. data]);
        Assert.That(badFormat.Code, Is.EqualTo(2));
        Assert.That(badFormat.Error, Does.Contain("--format"));
    }
}
