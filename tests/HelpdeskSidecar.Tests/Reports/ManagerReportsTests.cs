using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Reports;

/// <summary>
/// The manager's reports over HTTP on both storage providers, on drafts spread over three ISO weeks with a clock the
/// test sets: the weekly trend (the empty week included), names of agents and brands asked of the loopback Zendesk and
/// Freshdesk (and kept), the insertion rate, usage per week, the overview's change since the week before, bad parameters.
/// </summary>
[NonParallelizable] // the CLI part redirects Console
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ManagerReportsTests(string provider)
{
    /// <summary>Wednesday 18 March 2026, ISO week 2026-W12. The last 7 days are 12–18 March, the 7 before 5–11 March.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 18, 15, 0, 0, TimeSpan.Zero);

    private const long Priya = 7001, Unknown = 9999, Parcelly = 360001, UnknownBrand = 360002;

    private FakeZendesk _zendesk = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;
    private string[] _storage = [];

    [SetUp]
    public async Task StartAsync()
    {
        var storage = _storage = await StorageProviders.SettingsAsync(provider);
        _zendesk = await FakeZendesk.StartAsync();
        _freshdesk = await FakeFreshdesk.StartAsync();
        _zendesk.OtherUsers[Priya] = ("Priya Nair", "agent");
        _zendesk.Brands[Parcelly] = "Parcelly";
        _host = await SidecarTestHost.StartAsync(
            [.. _zendesk.ConnectionSettings, $"Sidecar:Freshdesk:BaseUrl={_freshdesk.BaseUrl}", $"Sidecar:Freshdesk:ApiKey={FakeFreshdesk.ApiKey}", .. storage],
            b => b.Services.AddSingleton<TimeProvider>(new ManualTimeProvider(Now)));

        // W10 (in the 7 days before): one sent as is by Priya on Parcelly after an insertion, one rejected by someone Zendesk does not know.
        await DraftAsync("z1", Day(5, 9), Verdicts.SentAsIs, Priya, Parcelly, inserted: true);
        await DraftAsync("z2", Day(5, 10), Verdicts.Rejected, Unknown, UnknownBrand);
        // W11: nothing at all. W12 (in the last 7 days): edited by Alex after an insertion, sent as is by Priya after one, one still open,
        // a Freshdesk draft edited by its agent, and a knowledge gap.
        await DraftAsync("z3", Day(16, 9), Verdicts.Edited, FakeZendesk.AgentId, Parcelly, inserted: true, tokens: (1000, 200), cost: 0.0030m);
        await DraftAsync("z4", Day(17, 9), Verdicts.SentAsIs, Priya, Parcelly, inserted: true, tokens: (500, 100), cost: 0.0015m);
        await DraftAsync("z5", Day(17, 10), null, null, Parcelly);
        await DraftAsync("f1", Day(17, 11), Verdicts.Edited, FakeFreshdesk.AgentId, null, helpdesk: "freshdesk");
        await AddAsync("z6", Day(18, 8), SuggestionKind.KnowledgeGap, "zendesk", null, null);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_zendesk is not null)
            await _zendesk.DisposeAsync();
        if (_freshdesk is not null)
            await _freshdesk.DisposeAsync();
    }

    private static DateTimeOffset Day(int march, int hour) => new(2026, 3, march, hour, 0, 0, TimeSpan.Zero);

    private async Task DraftAsync(string ticket, DateTimeOffset at, string? verdict, long? agent, long? brand, bool inserted = false,
        (int In, int Out)? tokens = null, decimal cost = 0, string helpdesk = "zendesk")
    {
        var id = await AddAsync(ticket, at, SuggestionKind.Draft, helpdesk, brand, tokens is { } t ? new ModelTrace("openai", "gpt-4o-mini", "draft-v1", 1, t.In, t.Out, cost, 900, null) : null);
        if (inserted)
            await _host.Service<InsertionStore>().RecordAsync(id, helpdesk, CancellationToken.None);
        if (verdict is not null)
            Assert.That(await _host.Service<IVerdictWriter>().RecordIfOpenAsync(id, new VerdictRecord(verdict, 0.8, "reply", ReplyAuthorId: agent?.ToString()), CancellationToken.None), Is.True);
    }

    private async Task<string> AddAsync(string ticket, DateTimeOffset at, SuggestionKind kind, string helpdesk, long? brand, ModelTrace? model)
    {
        var id = Guid.CreateVersion7(at).ToString("N");
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = helpdesk, TicketId = ticket, TriggerKey = "c1", CreatedAt = at, Kind = kind, Mode = "Shadow",
            Draft = kind == SuggestionKind.Draft ? "Refunds take 5 days." : null, Note = "note", Status = SuggestionStatus.Shadow,
            BrandId = brand?.ToString(), Question = kind == SuggestionKind.KnowledgeGap ? "Do you ship to Madeira?" : null,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 100), Model = model,
                Understanding = new HelpdeskSidecar.Copilot.TicketUnderstanding { Redactor = "test", Intent = new HelpdeskSidecar.Copilot.LabelScore("refund", 0.9) },
            },
        }, CancellationToken.None);
        return id;
    }

    private async Task<JsonObject> JsonAsync(string path) => (await _host.Client.GetFromJsonAsync<JsonObject>(path))!;

    [Test]
    public async Task Acceptance_ByWeek_EveryIsoWeekOfTheWindow_WithAcceptanceAndInsertionRates()
    {
        var report = await JsonAsync("/api/reports/acceptance?by=week&from=2026-03-02&to=2026-03-22");

        var weeks = report["groups"]!.AsArray().Select(g => (
            (string)g!["key"]!, (int)g["drafts"]!, (double?)g["acceptance_rate"], (int)g["inserted"]!, (double?)g["insertion_rate"])).ToList();
        Assert.That(weeks, Is.EqualTo(new[]
        {
            ("2026-W10", 2, (double?)0.5, 1, (double?)0.5),
            ("2026-W11", 0, null, 0, null),
            ("2026-W12", 4, 1.0, 2, 0.5),
        }), "W11 had no drafts and is still a week of the trend; W12: 3 answered all accepted, 2 of 4 drafts inserted");
        var total = report["total"]!;
        Assert.That(((int)total["inserted_sent_as_is"]!, (int)total["inserted_edited"]!), Is.EqualTo((2, 1)));

        using var csv = await _host.Client.GetAsync("/api/reports/acceptance?by=week&format=csv&from=2026-03-02&to=2026-03-22");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.EndWith(",inserted,inserted_sent_as_is,inserted_edited,drafts,insertion_rate"));
        Assert.That(lines[2], Is.EqualTo("2026-W11,0,0,0,0,0,0,,,0,0,0,0,"));
    }

    [Test]
    public async Task Acceptance_ByAgentAndBrand_NamesAskedOfEachHelpdesk_KeptForNextTime_UnknownStaysAnId()
    {
        var byAgent = await JsonAsync("/api/reports/acceptance?by=agent");
        var byBrand = await JsonAsync("/api/reports/acceptance?by=brand");

        Assert.That(byAgent["groups"]!.AsArray().Select(g => ((string)g!["key"]!, (int)g["suggestions"]!)), Is.EquivalentTo(new[]
        {
            ("Priya Nair", 2), ("Alex Agent", 1), (FakeFreshdesk.AgentName, 1), (Unknown.ToString(), 1), ("(none)", 0),
        }), "Zendesk's Show Many Users and Freshdesk's View an Agent name them; the id Zendesk does not know stays an id");
        Assert.That(byBrand["groups"]!.AsArray().Select(g => (string)g!["key"]!), Is.EquivalentTo(new[] { "Parcelly", UnknownBrand.ToString(), "(none)" }));

        var zendeskReads = _zendesk.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v2/users/show_many", StringComparison.Ordinal) || r.PathAndQuery.StartsWith("/api/v2/brands/", StringComparison.Ordinal));
        var freshdeskReads = _freshdesk.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v2/agents/", StringComparison.Ordinal));
        await JsonAsync("/api/reports/acceptance?by=agent");
        await JsonAsync("/api/reports/acceptance?by=brand");
        Assert.That(_zendesk.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v2/users/show_many", StringComparison.Ordinal) || r.PathAndQuery.StartsWith("/api/v2/brands/", StringComparison.Ordinal)),
            Is.EqualTo(zendeskReads), "names found are kept, and ids Zendesk did not know are not asked about again within the hour");
        Assert.That(_freshdesk.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v2/agents/", StringComparison.Ordinal)), Is.EqualTo(freshdeskReads));

        await using var connection = await _host.Service<Database>().OpenAsync(CancellationToken.None);
        var kept = (await connection.QueryAsync<(string, string, string, string)>("SELECT helpdesk, kind, id, name FROM helpdesk_names ORDER BY helpdesk, kind, id")).ToList();
        Assert.That(kept, Is.EqualTo(new[]
        {
            ("freshdesk", "agent", FakeFreshdesk.AgentId.ToString(), FakeFreshdesk.AgentName),
            ("zendesk", "agent", FakeZendesk.AgentId.ToString(), "Alex Agent"),
            ("zendesk", "agent", Priya.ToString(), "Priya Nair"),
            ("zendesk", "brand", Parcelly.ToString(), "Parcelly"),
        }));
    }

    [Test]
    public async Task Acceptance_ByAgent_HelpdeskDown_ShowsIds_AndTheReportStillAnswers()
    {
        await _zendesk.DisposeAsync(); // nothing listens on its port any more
        _zendesk = null!;
        var byAgent = await JsonAsync("/api/reports/acceptance?by=agent");
        Assert.That(byAgent["groups"]!.AsArray().Select(g => (string)g!["key"]!), Does.Contain(Priya.ToString()).And.Contain(FakeFreshdesk.AgentName));
    }

    [Test]
    public async Task Usage_ByWeek_TokensAndCostFromTheModelLedger_EmptyWeekAsZero()
    {
        var usage = await JsonAsync("/api/reports/usage?by=week&from=2026-03-02&to=2026-03-22");

        Assert.That(usage["groups"]!.AsArray().Select(g => ((string)g!["key"]!, (long)g["input_tokens"]! + (long)g["output_tokens"]!, (decimal)g["cost_usd"]!)), Is.EqualTo(new[]
        {
            ("2026-W10", 0L, 0m), ("2026-W11", 0L, 0m), ("2026-W12", 1800L, 0.0045m),
        }));
    }

    [Test]
    public async Task Gaps_ByWeek_GapsAndRatePerIsoWeek_JsonAndCsv()
    {
        var gaps = await JsonAsync("/api/reports/gaps?by=week&from=2026-03-02&to=2026-03-22");

        Assert.That(gaps["weeks"]!.AsArray().Select(w => ((string)w!["week"]!, (int)w["gaps"]!, (int)w["suggestions"]!, (double?)w["gap_rate"])), Is.EqualTo(new[]
        {
            ("2026-W10", 0, 2, (double?)0.0), ("2026-W11", 0, 0, null), ("2026-W12", 1, 5, 0.2),
        }));
        using var csv = await _host.Client.GetAsync("/api/reports/gaps?by=week&format=csv&from=2026-03-09&to=2026-03-22");
        Assert.That((await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "week,gaps,suggestions,gap_rate", "2026-W11,0,0,", "2026-W12,1,5,0.2" }));
    }

    [Test]
    public async Task Cli_GapsByWeek_AndAcceptanceByWeek_ReadTheSameStore()
    {
        string[] data = [$"--Sidecar:DataDir={_host.DataDir}", .. _storage.Select(s => "--" + s)];

        var gaps = await CliRunner.RunAsync(["report", "gaps", "--by", "week", "--from", "2026-03-09", "--to", "2026-03-22", "--format", "csv", .. data]);
        var acceptance = await CliRunner.RunAsync(["report", "acceptance", "--by", "week", "--from", "2026-03-02", "--to", "2026-03-15", "--format", "csv", .. data]);

        Assert.That(gaps.Code, Is.EqualTo(0), gaps.Error);
        Assert.That(gaps.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "week,gaps,suggestions,gap_rate", "2026-W11,0,0,", "2026-W12,1,5,0.2" }));
        Assert.That(acceptance.Code, Is.EqualTo(0), acceptance.Error);
        Assert.That(acceptance.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "key", "2026-W10", "2026-W11", "(total)" }));
    }

    [Test]
    public async Task Overview_Last7DaysAgainstThe7Before_DraftsAcceptanceInsertionGapsCost()
    {
        var overview = await JsonAsync("/api/reports/overview");

        var (last, before) = (overview["last7_days"]!, overview["previous7_days"]!);
        Assert.That(((string)last["from"]!, (string)last["to"]!, (string)before["from"]!, (string)before["to"]!),
            Is.EqualTo(("2026-03-12", "2026-03-18", "2026-03-05", "2026-03-11")));
        Assert.That(((int)last["drafts"]!, (double?)last["acceptance_rate"], (double?)last["insertion_rate"], (int)last["knowledge_gaps"]!, (decimal)last["cost_usd"]!),
            Is.EqualTo((4, (double?)1.0, (double?)0.5, 1, 0.0045m)));
        Assert.That(((int)before["drafts"]!, (double?)before["acceptance_rate"], (double?)before["insertion_rate"], (int)before["knowledge_gaps"]!, (decimal)before["cost_usd"]!),
            Is.EqualTo((2, (double?)0.5, (double?)0.5, 0, 0m)));
    }

    [TestCase("/api/reports/acceptance?by=month", "'by'")]
    [TestCase("/api/reports/acceptance?by=week&from=2026-03-22&to=2026-03-02", "'to' must not be before")]
    [TestCase("/api/reports/usage?by=month", "'by' must be one of intent, model, day, week")]
    [TestCase("/api/reports/usage?by=week&format=xml", "'format'")]
    [TestCase("/api/reports/acceptance?by=week&from=week-10", "'from'")]
    public async Task BadParameter_Is400ProblemDetails_NamingIt(string path, string reason)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"], Does.Contain(reason));
    }
}
