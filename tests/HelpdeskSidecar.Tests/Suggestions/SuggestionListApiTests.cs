using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Suggestions;

/// <summary>
/// <c>GET /api/suggestions</c>: cursor pagination and filters, done in SQL, over real HTTP on each storage provider,
/// with suggestions stored through the real store.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class SuggestionListApiTests(string provider)
{
    private static readonly DateTimeOffset Day = new(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private async Task AddAsync(string id, DateTimeOffset at, SuggestionKind kind = SuggestionKind.Draft, string? verdict = null, string intent = "refund",
        string? brand = null, string mode = "Shadow", string ticket = "t1")
    {
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = ticket, TriggerKey = id, CreatedAt = at, Kind = kind, Mode = mode, BrandId = brand,
            Draft = kind == SuggestionKind.Draft ? "Refunds take 5 days." : null, Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1),
                Understanding = new TicketUnderstanding { Redactor = "test", Intent = new LabelScore(intent, 0.9) },
            },
        }, CancellationToken.None);
        if (verdict is not null)
            await _host.Service<IVerdictWriter>().RecordFeedbackAsync(id, new VerdictRecord(verdict, null, Verdicts.FromFeedback), CancellationToken.None);
    }

    private async Task<JsonObject> ListAsync(string query)
    {
        using var response = await _host.Client.GetAsync("/api/suggestions?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static List<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();

    private static string? Cursor(JsonObject page, string name) => page[name]?.GetValue<string>();

    [Test]
    public async Task List_PagesOfThree_NextThenPrevious_CoverEveryRowOnceNewestFirst()
    {
        for (var i = 1; i <= 7; i++)
            await AddAsync($"s{i}", Day.AddMinutes(i));

        var first = await ListAsync("limit=3");
        var second = await ListAsync("limit=3&cursor=" + Uri.EscapeDataString(Cursor(first, "next_cursor")!));
        var third = await ListAsync("limit=3&cursor=" + Uri.EscapeDataString(Cursor(second, "next_cursor")!));
        var back = await ListAsync("limit=3&cursor=" + Uri.EscapeDataString(Cursor(second, "previous_cursor")!));

        Assert.That((Ids(first), Ids(second), Ids(third)), Is.EqualTo((
            new List<string> { "s7", "s6", "s5" }, new List<string> { "s4", "s3", "s2" }, new List<string> { "s1" })));
        Assert.That((Cursor(first, "previous_cursor"), Cursor(third, "next_cursor")), Is.EqualTo(((string?)null, (string?)null)), "nothing before the first page or after the last");
        Assert.That(Ids(back), Is.EqualTo(new[] { "s7", "s6", "s5" }), "Previous from page two is page one");
        Assert.That(Cursor(back, "previous_cursor"), Is.Null);
    }

    [Test]
    public async Task List_NewSuggestionsArriveBetweenPages_NextPageNeitherRepeatsNorSkips()
    {
        for (var i = 1; i <= 6; i++)
            await AddAsync($"s{i}", Day.AddMinutes(i));
        var first = await ListAsync("limit=3");

        await AddAsync("new1", Day.AddMinutes(10));
        await AddAsync("new2", Day.AddMinutes(11));
        var second = await ListAsync("limit=3&cursor=" + Uri.EscapeDataString(Cursor(first, "next_cursor")!));

        Assert.That(Ids(second), Is.EqualTo(new[] { "s3", "s2", "s1" }));
        var back = await ListAsync("limit=3&cursor=" + Uri.EscapeDataString(Cursor(second, "previous_cursor")!));
        Assert.That(Ids(back), Is.EqualTo(new[] { "s6", "s5", "s4" }), "back to the same rows");
        Assert.That(Cursor(back, "previous_cursor"), Is.Not.Null, "and the new ones are before them");
    }

    [Test]
    public async Task List_SameCreatedAt_OrderedById_NoRowLostAtThePageBreak()
    {
        foreach (var id in new[] { "a", "b", "c", "d" })
            await AddAsync(id, Day);

        var first = await ListAsync("limit=2");
        var second = await ListAsync("limit=2&cursor=" + Uri.EscapeDataString(Cursor(first, "next_cursor")!));

        Assert.That(Ids(first).Concat(Ids(second)), Is.EqualTo(new[] { "d", "c", "b", "a" }));
    }

    [Test]
    public async Task List_EachFilter_KeepsOnlyMatchingRows()
    {
        await AddAsync("d-pending", Day.AddMinutes(1), brand: "acme");
        await AddAsync("d-edited", Day.AddMinutes(2), verdict: Verdicts.Edited, intent: "shipping", brand: "acme");
        await AddAsync("d-rejected", Day.AddDays(1), verdict: Verdicts.Rejected, brand: "globex", mode: "Live");
        await AddAsync("gap", Day.AddDays(2), kind: SuggestionKind.KnowledgeGap, intent: "shipping", mode: "Live");
        await AddAsync("escalation", Day.AddDays(3), kind: SuggestionKind.Escalation);

        async Task<List<string>> Only(string query) => Ids(await ListAsync(query)).Order(StringComparer.Ordinal).ToList();

        var cases = new (string Query, string[] Expected)[]
        {
            ("kind=KnowledgeGap", ["gap"]),
            ("verdict=pending", ["d-pending"]),
            ("verdict=edited", ["d-edited"]),
            ("verdict=not_applicable", ["escalation", "gap"]),
            ("intent=shipping", ["d-edited", "gap"]),
            ("brand=acme", ["d-edited", "d-pending"]),
            ("mode=live", ["d-rejected", "gap"]),
            ("from=2026-05-11&to=2026-05-12", ["d-rejected", "gap"]),
            ("to=2026-05-10", ["d-edited", "d-pending"]), // 'to' includes the whole day
            ("intent=shipping&mode=live&kind=KnowledgeGap", ["gap"]),
        };
        var found = new List<(string, List<string>)>();
        foreach (var (query, _) in cases)
            found.Add((query, await Only(query)));

        Assert.That(found, Is.EqualTo(cases.Select(c => (c.Query, c.Expected.ToList())).ToList()));
    }

    [Test]
    public async Task List_FilterMatchesOnlyOldRows_PagesThroughThemNotThroughTheNewest()
    {
        // Three old matches behind twelve newer rows that do not match: a filter over "the newest N" would find none.
        for (var i = 1; i <= 3; i++)
            await AddAsync($"old{i}", Day.AddMinutes(i), intent: "warranty");
        for (var i = 1; i <= 12; i++)
            await AddAsync($"new{i:00}", Day.AddHours(1).AddMinutes(i));

        var first = await ListAsync("intent=warranty&limit=2");
        var second = await ListAsync("intent=warranty&limit=2&cursor=" + Uri.EscapeDataString(Cursor(first, "next_cursor")!));

        Assert.That((Ids(first), Ids(second)), Is.EqualTo((new List<string> { "old3", "old2" }, new List<string> { "old1" })));
        Assert.That(Cursor(second, "next_cursor"), Is.Null);
    }

    [Test]
    public async Task List_OldParameters_StillWork_TicketOldestFirst_ItemsKeepTheirFields()
    {
        await AddAsync("s1", Day.AddMinutes(1), ticket: "77");
        await AddAsync("s2", Day.AddMinutes(2), ticket: "77");
        await AddAsync("s3", Day.AddMinutes(3), ticket: "88");

        var ticket = await ListAsync("ticket=77");
        var limited = await ListAsync("limit=1");

        Assert.That(Ids(ticket), Is.EqualTo(new[] { "s1", "s2" }), "one ticket's suggestions read oldest first");
        Assert.That(Ids(limited), Is.EqualTo(new[] { "s3" }));
        var item = ticket["items"]![0]!.AsObject();
        Assert.That(item.Select(p => p.Key), Is.SupersetOf(new[] { "id", "provider", "ticket_id", "created_at", "kind", "mode", "status", "draft", "verdict", "similarity", "sources" }));
        Assert.That(ticket.ContainsKey("next_cursor"), Is.True);
    }

    private static string Encoded(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static IEnumerable<TestCaseData> BadQueries()
    {
        yield return new TestCaseData("kind=bogus", "'kind' must be one of Draft, KnowledgeGap, Escalation, Withheld");
        yield return new TestCaseData("verdict=maybe", "'verdict' must be one of pending, sent_as_is, edited, rejected, no_reply, superseded, not_applicable");
        yield return new TestCaseData("mode=sometimes", "'mode' must be one of shadow, live");
        yield return new TestCaseData("from=10/05/2026", "'from' must be a date as yyyy-MM-dd");
        yield return new TestCaseData("to=2026-13-01", "'to' must be a date as yyyy-MM-dd");
        yield return new TestCaseData("from=2026-05-10&to=2026-05-01", "'to' must not be before 'from'");
        yield return new TestCaseData("intent=" + new string('x', 101), "'intent' must be 100 characters or fewer");
        yield return new TestCaseData("cursor=not*base64", "'cursor' is not a cursor this list gave out");
        yield return new TestCaseData("cursor=" + Encoded("a|yesterday|s1"), "'cursor' is not a cursor this list gave out");
        yield return new TestCaseData("cursor=" + Encoded("x|2026-05-10T09:00:00.0000000+00:00|s1"), "'cursor' is not a cursor this list gave out");
        yield return new TestCaseData("limit=0", "'limit' must be between 1 and 1000");
    }

    [TestCaseSource(nameof(BadQueries))]
    public async Task List_BadFilterOrCursor_Is400ProblemNamingTheParameter(string query, string detail)
    {
        using var response = await _host.Client.GetAsync("/api/suggestions?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"], Does.Contain(detail));
    }
}
