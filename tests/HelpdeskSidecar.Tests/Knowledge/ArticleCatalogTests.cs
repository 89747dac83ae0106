using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary>
/// The article list and article page queries (ArticleCatalog) and <c>/api/knowledge/articles</c>, on a real host over
/// SQLite and PostgreSQL: articles indexed through the real KnowledgeIndex, citations from suggestions stored through
/// the real SuggestionStore, verdicts through the real VerdictStore.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ArticleCatalogTests(string provider)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero);

    private SidecarTestHost _host = null!;
    private ArticleCatalog _catalog = null!;
    private long _refunds, _shipping, _solved;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));
        _catalog = _host.Service<ArticleCatalog>();
        var index = _host.Service<KnowledgeIndex>();
        await index.UpsertAsync(new KnowledgeArticle("files", "refunds.md", "Refund policy", "https://help.example.com/refunds",
            [new ArticleSection("Refund policy", "Refunds reach your card within five days."), new ArticleSection("Refund policy › Store credit", "Store credit is immediate.")]), CancellationToken.None);
        await index.UpsertAsync(new KnowledgeArticle("zendesk", "360001", "Shipping times", "https://acme.zendesk.com/hc/articles/360001",
            [new ArticleSection("Shipping times", "Parcels ship within two days by courier.")]) { Brand = "acme", Visibility = KnowledgeVisibility.Agents }, CancellationToken.None);
        await index.UpsertAsync(new KnowledgeArticle("files", "ticket-77.md", "Courier lost a parcel", null,
            [new ArticleSection("Courier lost a parcel", "We resent the parcel and refunded the shipping fee.")]) { Tier = KnowledgeTier.PastTicket }, CancellationToken.None);
        var ids = (await _catalog.ListAsync(new ArticleQuery(null), CancellationToken.None)).Items.ToDictionary(a => a.ExternalId, a => a.Id);
        (_refunds, _shipping, _solved) = (ids["refunds.md"], ids["360001"], ids["ticket-77.md"]);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private async Task<string> DraftAsync(string ticket, int minutes, SuggestionKind kind, string? verdict, params long[] cited)
    {
        var id = Guid.CreateVersion7(Now.AddMinutes(minutes)).ToString("N");
        await _host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = ticket, TriggerKey = "c1", CreatedAt = Now.AddMinutes(minutes), Kind = kind, Mode = "Shadow",
            Draft = kind == SuggestionKind.Draft ? "Refunds take five days [1]." : null, Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 3),
                Sources = cited.Select((a, i) => new TraceSource(i + 1, a, "t", null, "h", 0.5, [])).ToList(),
            },
        }, CancellationToken.None);
        if (verdict is not null)
            Assert.That(await _host.Service<IVerdictWriter>().RecordFeedbackAsync(id, new VerdictRecord(verdict, null, Verdicts.FromFeedback), CancellationToken.None), Is.True);
        return id;
    }

    /// <summary>Refunds: cited by three drafts (one of them twice), two accepted; shipping: one pending draft; a withheld draft counts for nobody.</summary>
    private async Task CitationsAsync()
    {
        await DraftAsync("1", 1, SuggestionKind.Draft, Verdicts.SentAsIs, _refunds, _refunds);
        await DraftAsync("2", 2, SuggestionKind.Draft, Verdicts.Edited, _refunds, _shipping);
        await DraftAsync("3", 3, SuggestionKind.Draft, Verdicts.Rejected, _refunds);
        await DraftAsync("4", 4, SuggestionKind.Withheld, null, _solved);
    }

    [Test]
    public async Task ListAsync_NoQuery_AllArticlesByTitleWithOriginFieldsAndChunkCounts()
    {
        var page = await _catalog.ListAsync(new ArticleQuery(null), CancellationToken.None);

        Assert.That(page.Total, Is.EqualTo(3));
        Assert.That(page.Items.Select(a => a.Title), Is.EqualTo(new[] { "Courier lost a parcel", "Refund policy", "Shipping times" }));
        Assert.That(page.Items.Select(a => a.Origin), Is.EqualTo(new[] { "solved_tickets", "docs", "help_center" }));
        var shipping = page.Items[2];
        Assert.That((shipping.Visibility, shipping.Brand, shipping.Locale, shipping.Chunks), Is.EqualTo(("agents", (string?)"acme", "en", 1L)));
        Assert.That(page.Items[1].Chunks, Is.EqualTo(2));
        Assert.That(page.NextCursor, Is.Null);
    }

    [Test]
    public async Task ListAsync_TextInABody_FindsTheArticleCaseInsensitively()
    {
        var page = await _catalog.ListAsync(new ArticleQuery("COURIER"), CancellationToken.None);
        Assert.That(page.Items.Select(a => a.ExternalId), Is.EquivalentTo(new[] { "360001", "ticket-77.md" }), "title of one, body of the other");

        var wildcard = await _catalog.ListAsync(new ArticleQuery("%"), CancellationToken.None);
        Assert.That(wildcard.Items, Is.Empty, "% is a character to find, not a wildcard");
    }

    [Test]
    public async Task ListAsync_PagesFollowTheCursor_WithoutRepeatsOrGaps()
    {
        await CitationsAsync();
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _catalog.ListAsync(new ArticleQuery(null, ArticleSort.Cited, cursor, Limit: 1), CancellationToken.None);
            seen.AddRange(page.Items.Select(a => a.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.That(seen, Is.EqualTo(new[] { _refunds, _shipping, _solved }), "most cited first; ties newest id first");
        var first = await _catalog.ListAsync(new ArticleQuery(null, ArticleSort.Cited, null, Limit: 1), CancellationToken.None);
        Assert.ThrowsAsync<ArticleQueryException>(() => _catalog.ListAsync(new ArticleQuery(null, ArticleSort.Title, first.NextCursor), CancellationToken.None));
        Assert.ThrowsAsync<ArticleQueryException>(() => _catalog.ListAsync(new ArticleQuery(null, ArticleSort.Title, "not-a-cursor!"), CancellationToken.None));
    }

    [Test]
    public async Task Citations_FromStoredDrafts_CountedOncePerDraftWithAcceptedVerdicts()
    {
        await CitationsAsync();

        var byId = (await _catalog.ListAsync(new ArticleQuery(null, ArticleSort.Accepted), CancellationToken.None)).Items.ToDictionary(a => a.Id);
        Assert.That((byId[_refunds].CitedInDrafts, byId[_refunds].Accepted), Is.EqualTo((3L, 2L)));
        Assert.That((byId[_shipping].CitedInDrafts, byId[_shipping].Accepted), Is.EqualTo((1L, 1L)));
        Assert.That((byId[_solved].CitedInDrafts, byId[_solved].Accepted), Is.EqualTo((0L, 0L)), "a withheld draft was never shown");

        var detail = (await _catalog.GetAsync(_refunds, CancellationToken.None))!;
        Assert.That(detail.Citations, Is.EqualTo(new ArticleCitations(3, 2, 1, 1, 1, 0, 0, 0)));
        Assert.That(detail.RecentDrafts.Select(d => d.TicketId), Is.EqualTo(new[] { "3", "2", "1" }), "newest first");
        Assert.That(detail.Chunks.Select(c => (c.Position, c.HeadingPath)), Is.EqualTo(new[] { (0, "Refund policy"), (1, "Refund policy › Store credit") }));
        Assert.That(detail.Chunks.All(c => c.HasVector && c.EmbeddingModel is { Length: > 0 }), Is.True, "every chunk was embedded by the hashed encoder");
        Assert.That(await _catalog.GetAsync(999_999, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Api_ListAndDetail_SnakeCaseJson()
    {
        await CitationsAsync();

        var list = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/knowledge/articles?q=refund&sort=cited"))!;
        var items = list["items"]!.AsArray();
        Assert.That(items.Select(i => i!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "Refund policy", "Courier lost a parcel" }));
        Assert.That(items[0]!["cited_in_drafts"]!.GetValue<long>(), Is.EqualTo(3));
        Assert.That(items[0]!["accepted"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(list["total"]!.GetValue<long>(), Is.EqualTo(2));

        var detail = (await _host.Client.GetFromJsonAsync<JsonObject>($"/api/knowledge/articles/{_refunds}"))!;
        Assert.That(detail["article"]!["url"]!.GetValue<string>(), Is.EqualTo("https://help.example.com/refunds"));
        Assert.That(detail["chunks"]!.AsArray().Select(c => c!["position"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(detail["chunks"]![0]!["embedding_model"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(detail["citations"]!["sent_as_is"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [TestCase("/api/knowledge/articles?sort=popularity", HttpStatusCode.BadRequest, "sort")]
    [TestCase("/api/knowledge/articles?limit=0", HttpStatusCode.BadRequest, "limit")]
    [TestCase("/api/knowledge/articles?limit=ten", HttpStatusCode.BadRequest, "limit")]
    [TestCase("/api/knowledge/articles?cursor=garbage", HttpStatusCode.BadRequest, "cursor")]
    [TestCase("/api/knowledge/articles/abc", HttpStatusCode.BadRequest, "article id")]
    [TestCase("/api/knowledge/articles/999999", HttpStatusCode.NotFound, "no article")]
    public async Task Api_BadInput_ProblemDetails(string path, HttpStatusCode status, string mentions)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(mentions));
    }
}
