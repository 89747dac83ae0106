using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Sync;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge.Sync;

/// <summary><c>kb sync</c> against the loopback Zendesk and Freshdesk: adds, updates, deletes, and keeps drafts agents-only.</summary>
public class KnowledgeSyncTests
{
    private SidecarScenario _scenario = null!;
    private FakeZendesk _zendesk = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithZendesk().WithFreshdesk().StartAsync();
        (_zendesk, _freshdesk, _host) = (_scenario.Zendesk, _scenario.Freshdesk, _scenario.Host);
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    private Task<SyncReport> SyncZendeskAsync() =>
        _host.Service<KnowledgeSync>().SyncAsync("zendesk", HelpdeskArticles.FromZendeskAsync(_host.Service<ZendeskClient>(), CancellationToken.None), null, CancellationToken.None);

    private Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, KnowledgeVisibility visibility) =>
        _host.Service<KnowledgeIndex>().RetrieveAsync(
            new RetrievalRequest(query, 10) { Scope = new RetrievalScope { Visibility = visibility } }, CancellationToken.None);

    [Test]
    public async Task SyncAsync_SecondRunWithOneChangedOneDeletedOneNew_UpdatesDeletesAndAddsOneEach()
    {
        _zendesk.Articles.Add((101, "Resetting your password", "<p>Use the forgot password link to reset a password.</p>", false, null));
        _zendesk.Articles.Add((102, "Shipping times", "<p>Parcels ship within two days by courier.</p>", false, null));
        _zendesk.Articles.Add((103, "Gift cards", "<p>Gift cards never expire and work with marmalade vouchers.</p>", false, null));
        _zendesk.Articles.Add((104, "Invoices", "<p>Download invoices from the billing page.</p>", false, null));

        var first = await SyncZendeskAsync();
        Assert.That((first.Added, first.Updated, first.Deleted, first.Unchanged), Is.EqualTo((4, 0, 0, 0)));

        _zendesk.Articles[1] = (102, "Shipping times", "<p>Parcels now ship within one day by courier.</p>", false, null);
        _zendesk.Articles.RemoveAt(2);
        _zendesk.Articles.Add((105, "Returns", "<p>Return any item within thirty days for a refund.</p>", false, null));
        var second = await SyncZendeskAsync();

        Assert.That((second.Added, second.Updated, second.Deleted, second.Unchanged), Is.EqualTo((1, 1, 1, 2)));
        var ids = await _host.Service<KnowledgeIndex>().ListExternalIdsAsync("zendesk", CancellationToken.None);
        Assert.That(ids, Is.EquivalentTo(new[] { "101", "102", "104", "105" }));
        var deleted = await RetrieveAsync("marmalade vouchers gift cards", KnowledgeVisibility.Agents);
        Assert.That(deleted.Select(p => p.Hit.Title), Does.Not.Contain("Gift cards"));
        var changed = await RetrieveAsync("parcels ship courier", KnowledgeVisibility.Public);
        Assert.That(changed[0].Hit.Title, Is.EqualTo("Shipping times"));
        Assert.That(changed[0].Hit.Text, Does.Contain("one day"));
        Assert.That(changed[0].Hit.Url, Is.EqualTo("https://help.example.com/hc/en-us/articles/102"));
        Assert.That(await _host.Service<SyncStateStore>().GetAsync("zendesk", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task SyncAsync_ZendeskArticleUrlNotHttp_UrlDroppedArticleKept()
    {
        _zendesk.Articles.Add((301, "Refund quokka", "<p>Quokka refunds are paid within five days.</p>", false, null));
        _zendesk.Articles.Add((302, "Shipping quokka", "<p>Quokka parcels ship within two days.</p>", false, null));
        _zendesk.Articles.Add((303, "Returns quokka", "<p>Quokka returns are free for thirty days.</p>", false, null));
        _zendesk.ArticleUrls[301] = "javascript:alert(document.cookie)";
        _zendesk.ArticleUrls[302] = "data:text/html,<script>alert(1)</script>";

        var report = await SyncZendeskAsync();

        Assert.That(report.Added, Is.EqualTo(3));
        var hits = (await RetrieveAsync("quokka refunds parcels returns", KnowledgeVisibility.Public)).ToDictionary(p => p.Hit.Title, p => p.Hit.Url);
        Assert.That(hits.Keys, Is.EquivalentTo(new[] { "Refund quokka", "Shipping quokka", "Returns quokka" }));
        Assert.That(hits["Refund quokka"], Is.Null);
        Assert.That(hits["Shipping quokka"], Is.Null);
        Assert.That(hits["Returns quokka"], Is.EqualTo("https://help.example.com/hc/en-us/articles/303"));
    }

    [Test]
    public async Task SyncAsync_ListingFailsHalfWay_DeletesNothing()
    {
        for (var id = 401; id <= 404; id++)
            _zendesk.Articles.Add((id, $"Article {id}", $"<p>Body of article {id} about parcels.</p>", false, null));
        await SyncZendeskAsync();
        _zendesk.Articles.RemoveAt(0);
        _zendesk.FailArticlePagesAfterFirst = true;
        _zendesk.PageSize = 1;

        Assert.ThrowsAsync<HelpdeskSidecar.Helpdesks.HelpdeskException>(SyncZendeskAsync);

        var ids = await _host.Service<KnowledgeIndex>().ListExternalIdsAsync("zendesk", CancellationToken.None);
        Assert.That(ids, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task SyncAsync_ZendeskDraftAndRestricted_NeverReturnedToPublicRetrieval()
    {
        _zendesk.Articles.Add((201, "Refund policy", "<p>Refunds are paid back within five days.</p>", false, null));
        _zendesk.Articles.Add((202, "Refund override draft", "<p>Refunds above the limit need the override code zebra.</p>", true, null));
        _zendesk.Articles.Add((203, "Refund escalation", "<p>Refunds disputed twice go to the zebra desk.</p>", false, 7));

        var report = await SyncZendeskAsync();

        Assert.That(report.AgentsOnly, Is.EqualTo(2));
        var customerFacing = await RetrieveAsync("refund zebra override escalation", KnowledgeVisibility.Public);
        var agents = await RetrieveAsync("refund zebra override escalation", KnowledgeVisibility.Agents);
        Assert.That(customerFacing.Select(p => p.Hit.Title), Is.EquivalentTo(new[] { "Refund policy" }));
        Assert.That(agents.Select(p => p.Hit.Title), Is.SupersetOf(new[] { "Refund override draft", "Refund escalation" }));
    }

    [Test]
    public async Task SyncAsync_FreshdeskDraftArticle_AgentsOnlyAndUnchangedOnSecondRun()
    {
        var listing = HelpdeskArticles.FromFreshdeskAsync(_host.Service<FreshdeskClient>(), CancellationToken.None);
        var first = await _host.Service<KnowledgeSync>().SyncAsync("freshdesk", listing, null, CancellationToken.None);

        Assert.That(first.Added, Is.GreaterThanOrEqualTo(2));
        var customerFacing = await RetrieveAsync("payment method paypal", KnowledgeVisibility.Public);
        var agents = await RetrieveAsync("payment method paypal", KnowledgeVisibility.Agents);
        Assert.That(customerFacing.Select(p => p.Hit.Title), Does.Not.Contain("Adding a payment method"));
        Assert.That(agents.Select(p => p.Hit.Title), Does.Contain("Adding a payment method"));

        var again = HelpdeskArticles.FromFreshdeskAsync(_host.Service<FreshdeskClient>(), CancellationToken.None);
        var second = await _host.Service<KnowledgeSync>().SyncAsync("freshdesk", again, null, CancellationToken.None);
        Assert.That((second.Added, second.Updated, second.Deleted, second.Unchanged), Is.EqualTo((0, 0, 0, first.Added)));
    }
    [Test]
    public async Task SyncAsync_ZendeskListingCutOffAtPageLimit_DeletesNothingAndReportsTheLimit()
    {
        foreach (var id in new long[] { 1, 2, 5000 })
            _zendesk.Articles.Add((id, $"Article {id}", $"<p>Body of article {id} about parcels.</p>", false, null));
        await SyncZendeskAsync();
        // One article a page and more articles than 100 pages hold: the client stops while the fake still says has_more.
        _zendesk.Articles.Clear();
        for (var id = 1; id <= 101; id++)
            _zendesk.Articles.Add((id, $"Article {id}", $"<p>Body of article {id} about parcels.</p>", false, null));
        _zendesk.PageSize = 1;
        var stateAfterFirst = await _host.Service<SyncStateStore>().GetAsync("zendesk", CancellationToken.None);

        var report = await SyncZendeskAsync();

        var ids = await _host.Service<KnowledgeIndex>().ListExternalIdsAsync("zendesk", CancellationToken.None);
        Assert.That(ids, Does.Contain("5000"));
        Assert.That((report.Added, report.Deleted), Is.EqualTo((98, 0)));
        Assert.That(report.StoppedAtPageLimit, Is.EqualTo(100));
        Assert.That(report.CutOffWarning, Does.Contain("100-page limit").And.Contain("nothing was deleted"));
        // Not a completed sync: the state still holds the first run's time.
        Assert.That(await _host.Service<SyncStateStore>().GetAsync("zendesk", CancellationToken.None), Is.EqualTo(stateAfterFirst));
    }

    [Test]
    public async Task SyncAsync_FreshdeskListingCutOffAtPageLimit_DeletesNothingAndReportsTheLimit()
    {
        var index = _host.Service<KnowledgeIndex>();
        await index.UpsertAsync(new KnowledgeArticle("freshdesk", "99999", "Old article", null, [new ArticleSection("Old article", "Kept while the listing is cut off.")]), CancellationToken.None);
        _freshdesk.ArticlePagesNeverEnd = true;

        var listing = HelpdeskArticles.FromFreshdeskAsync(_host.Service<FreshdeskClient>(), CancellationToken.None);
        var report = await _host.Service<KnowledgeSync>().SyncAsync("freshdesk", listing, null, CancellationToken.None);

        Assert.That(await index.ListExternalIdsAsync("freshdesk", CancellationToken.None), Does.Contain("99999"));
        Assert.That(report.Deleted, Is.EqualTo(0));
        Assert.That(report.StoppedAtPageLimit, Is.EqualTo(100));
    }
}
