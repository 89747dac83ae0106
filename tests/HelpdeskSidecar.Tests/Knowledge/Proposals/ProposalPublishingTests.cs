using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Knowledge.Proposals;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;
using static HelpdeskSidecar.Tests.Knowledge.Proposals.ProposalTestData;

namespace HelpdeskSidecar.Tests.Knowledge.Proposals;

/// <summary>
/// An approved proposal is published to its helpdesk as a draft, exactly once however it is retried, with requests
/// checked against the recorded Help Center spec and Freshdesk documentation, and imported into the index for agents only.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class ProposalPublishingTests(string provider)
{
    private const long SectionId = 360001;
    private const long FolderId = 4242;

    private FakeZendesk _zendesk = null!;
    private FakeFreshdesk _freshdesk = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var storage = await StorageProviders.SettingsAsync(provider);
        _zendesk = await FakeZendesk.StartAsync();
        _freshdesk = await FakeFreshdesk.StartAsync();
        _host = await SidecarTestHost.StartAsync(
        [
            .. _zendesk.ConnectionSettings, $"Sidecar:Freshdesk:BaseUrl={_freshdesk.BaseUrl}", $"Sidecar:Freshdesk:ApiKey={FakeFreshdesk.ApiKey}",
            $"Sidecar:Authoring:Zendesk:SectionId={SectionId}", $"Sidecar:Authoring:Freshdesk:FolderId={FolderId}",
            "Sidecar:Authoring:PublishLease=00:00:01", .. storage,
        ]);
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

    private async Task<string> ZendeskProposalAsync(long ticketId)
    {
        var ticket = _zendesk.AddTicket(ticketId, "Courier job application - Porto", "Where should I send my CV for a courier job in Porto?");
        await GapAsync(_host, _host.Service<ZendeskClient>(), Id(ticketId), "Where should I send my CV for a courier job in Porto?");
        ticket.AddComment(FakeZendesk.AgentId, "Open courier roles are published on our careers page; apply there for the Porto area.", isPublic: true);
        ticket.Status = "solved";
        await TrackAsync(_host, _host.Service<ZendeskClient>(), Id(ticketId));
        return await SingleProposalIdAsync();
    }

    private async Task<string> SingleProposalIdAsync() =>
        (await _host.Client.GetFromJsonAsync<JsonObject>("/api/knowledge/proposals"))!["items"]!.AsArray().Single()!["id"]!.GetValue<string>();

    private async Task<JsonObject> PostAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _host.Client.PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return (JsonObject)JsonNode.Parse(body)!;
    }

    private async Task<(string Visibility, long Chunks)> IndexedAsync(string source, string externalId)
    {
        await using var connection = await _host.Service<Database>().OpenAsync();
        var rows = (await connection.QueryAsync<string>(
            "SELECT c.visibility FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.source = @source AND a.external_id = @externalId",
            new { source, externalId })).ToList();
        return (string.Join(",", rows.Distinct()), rows.Count);
    }

    [Test]
    public async Task Approve_Zendesk_OneDraftArticleInTheSection_MatchingTheHelpCenterSpec_ImportedForAgentsOnly()
    {
        var id = await ZendeskProposalAsync(9201);
        using (var edit = await _host.Client.PutAsJsonAsync($"/api/knowledge/proposals/{id}",
            new { title = "Applying for a courier job", answer = "Open courier roles are on our careers page.\n\nApply there for your area.", tags = new[] { "careers" } }))
            Assert.That(edit.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var approved = await PostAsync($"/api/knowledge/proposals/{id}/approve");

        Assert.That(approved["publish"]!.GetValue<string>(), Is.EqualTo("published"), approved.ToJsonString());
        var post = _zendesk.ArticlePosts.Single();
        Assert.That(post.PathAndQuery, Is.EqualTo($"/api/v2/help_center/sections/{SectionId}/articles"));
        var article = JsonNode.Parse(post.Body!)!["article"]!;
        Assert.That(article["draft"]!.GetValue<bool>(), Is.True);
        Assert.That(article["title"]!.GetValue<string>(), Is.EqualTo("Applying for a courier job"), "the ops lead's edit is what is published");
        Assert.That(article["body"]!.GetValue<string>(), Is.EqualTo("<p>Open courier roles are on our careers page.</p><p>Apply there for your area.</p>"));
        Assert.That(article["label_names"]!.AsArray().Select(l => l!.GetValue<string>()), Is.EqualTo(new[] { $"sidecar-proposal-{id}", "careers" }));
        Assert.That(JsonNode.Parse(post.Body!)!["notify_subscribers"]!.GetValue<bool>(), Is.False);

        var spec = ZendeskOpenApi.FindSpecPath() is { } support ? Path.Combine(Path.GetDirectoryName(support)!, "helpcenter-oas.yaml") : null;
        if (spec is null || !File.Exists(spec))
            Assert.Ignore("shared/contracts/zendesk/oas/helpcenter-oas.yaml is not reachable from here");
        // The spec's ArticleRequest schema leaves out draft and label_names, which its ArticleObject documents ("can be set
        // when creating"); nothing else may differ.
        Assert.That(ZendeskOpenApi.Load(spec).ValidateRequest("POST", post.PathAndQuery, post.Body), Is.EqualTo(new[]
        {
            "$.article.draft: property is not declared by the schema",
            "$.article.label_names: property is not declared by the schema",
        }));

        var created = _zendesk.CreatedArticles.Single();
        var proposal = approved["proposal"]!;
        Assert.That(proposal["status"]!.GetValue<string>(), Is.EqualTo("published"));
        Assert.That(proposal["published_article_id"]!.GetValue<string>(), Is.EqualTo(Id(created.Id)));
        Assert.That(proposal["publish_attempts"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(await IndexedAsync("zendesk", Id(created.Id)), Is.EqualTo(("agents", 1L)), "a draft is for agents until a human publishes it");

        // Publishing again (a double click, a retried request) writes nothing.
        var again = await PostAsync($"/api/knowledge/proposals/{id}/publish");
        Assert.That(again["publish"]!.GetValue<string>(), Is.EqualTo("already_published"));
        Assert.That(_zendesk.ArticlePosts, Has.Count.EqualTo(1));
        await PostAsync($"/api/knowledge/proposals/{id}/approve", HttpStatusCode.Conflict);
        Assert.That(_zendesk.ArticlePosts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Approve_Freshdesk_OneDraftSolutionArticleInTheFolder_MatchingTheDocs()
    {
        var ticket = _freshdesk.AddTicket(9301, "Press enquiry: electric vans", "Could someone give me numbers on your EV fleet for an article?");
        var client = _host.Service<FreshdeskClient>();
        await GapAsync(_host, client, "9301", "Could someone give me numbers on your EV fleet for an article?");
        ticket.AddConversation(FakeFreshdesk.AgentId, "<div>Support can't give statements; I've forwarded your request to our press office.</div>", isPrivate: false, incoming: false);
        ticket.Status = 4; // resolved
        await TrackAsync(_host, client, "9301");
        var id = await SingleProposalIdAsync();

        var approved = await PostAsync($"/api/knowledge/proposals/{id}/approve");

        Assert.That(approved["publish"]!.GetValue<string>(), Is.EqualTo("published"), approved.ToJsonString());
        var post = _freshdesk.ArticlePosts.Single();
        Assert.That(post.PathAndQuery, Is.EqualTo($"/api/v2/solutions/folders/{FolderId}/articles"));
        var body = JsonNode.Parse(post.Body!)!;
        Assert.That(body["status"]!.GetValue<int>(), Is.EqualTo(1), "1 is a draft");
        Assert.That(body["title"]!.GetValue<string>(), Is.EqualTo("Press enquiry: electric vans"));
        Assert.That(body["description"]!.GetValue<string>(), Does.Contain("forwarded your request to our press office"));
        Assert.That(body["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain($"sidecar-proposal-{id}"));
        var docs = FreshdeskSolutionsDocs.FindPath();
        if (docs is null)
            Assert.Ignore("shared/contracts/freshdesk/ktsaou-freshdesk_mcp/FRESHDESK_API_DOCS.txt is not reachable from here");
        Assert.That(FreshdeskSolutionsDocs.Load(docs!).ValidateRequest("Create a Solution Article", "POST", post.PathAndQuery, post.Body), Is.Empty);

        var created = _freshdesk.CreatedArticles.Single();
        Assert.That(approved["proposal"]!["published_article_id"]!.GetValue<string>(), Is.EqualTo(Id(created.Id)));
        Assert.That(await IndexedAsync("freshdesk", Id(created.Id)), Is.EqualTo(("agents", 1L)));
    }

    [Test]
    public void FreshdeskDocsChecker_RejectsAPublishedStatusUnknownAttributesAndMissingTitle()
    {
        var docs = FreshdeskSolutionsDocs.FindPath();
        if (docs is null)
            Assert.Ignore("shared/contracts/freshdesk/ktsaou-freshdesk_mcp/FRESHDESK_API_DOCS.txt is not reachable from here");
        var errors = FreshdeskSolutionsDocs.Load(docs!).ValidateRequest("Create a Solution Article", "POST", "/api/v2/solutions/folders/7/articles",
            """{"description":"<p>x</p>","status":3,"draft":true,"tags":"a"}""");
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "missing mandatory attribute title",
            "status: 3 is not one of 1, 2",
            "draft: not an attribute of Create a Solution Article",
            "tags: expected array of strings, got String",
        }));
    }

    [Test]
    public async Task LostAnswer_RetryFindsTheDraftByItsMarker_NoSecondArticle_OnBothHelpdesks()
    {
        var id = await ZendeskProposalAsync(9401);
        _zendesk.LoseNextArticleCreateAnswers(500);

        var failed = await PostAsync($"/api/knowledge/proposals/{id}/approve");
        Assert.That(failed["publish"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(failed["proposal"]!["status"]!.GetValue<string>(), Is.EqualTo("approved"));
        Assert.That(failed["proposal"]!["publish_error"]!.GetValue<string>(), Does.Contain("500"));
        Assert.That(_zendesk.CreatedArticles, Has.Count.EqualTo(1), "the helpdesk made the article; we never learnt its id");

        var retried = await PostAsync($"/api/knowledge/proposals/{id}/publish");
        Assert.That(retried["publish"]!.GetValue<string>(), Is.EqualTo("published"));
        Assert.That(retried["message"]!.GetValue<string>(), Does.Contain("earlier attempt"));
        Assert.That(_zendesk.ArticlePosts, Has.Count.EqualTo(1), "found by its label, not created again");
        Assert.That(retried["proposal"]!["published_article_id"]!.GetValue<string>(), Is.EqualTo(Id(_zendesk.CreatedArticles.Single().Id)));
        Assert.That(retried["proposal"]!["publish_attempts"]!.GetValue<int>(), Is.EqualTo(2));

        // The same on Freshdesk, found by its tag in the folder.
        var ticket = _freshdesk.AddTicket(9402, "Partnership", "Who handles partnerships for marketplaces?");
        var client = _host.Service<FreshdeskClient>();
        await GapAsync(_host, client, "9402", "Who handles partnerships for marketplaces?");
        ticket.AddConversation(FakeFreshdesk.AgentId, "<div>Our business development team handles partnerships.</div>", isPrivate: false, incoming: false);
        ticket.Status = 5; // closed
        await TrackAsync(_host, client, "9402");
        var fresh = (await _host.Client.GetFromJsonAsync<JsonObject>("/api/knowledge/proposals?status=proposed"))!["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
        _freshdesk.LoseNextArticleCreateAnswers(502);
        Assert.That((await PostAsync($"/api/knowledge/proposals/{fresh}/approve"))["publish"]!.GetValue<string>(), Is.EqualTo("failed"));
        var freshRetry = await PostAsync($"/api/knowledge/proposals/{fresh}/publish");
        Assert.That(freshRetry["publish"]!.GetValue<string>(), Is.EqualTo("published"));
        Assert.That(_freshdesk.ArticlePosts, Has.Count.EqualTo(1));
        Assert.That(freshRetry["proposal"]!["published_article_id"]!.GetValue<string>(), Is.EqualTo(Id(_freshdesk.CreatedArticles.Single().Id)));
    }

    [Test]
    public async Task CrashBetweenTheCreateAndStoringItsId_RetryWaitsForTheLease_ThenFindsTheDraft()
    {
        var id = await ZendeskProposalAsync(9501);
        Assert.That(await _host.Service<ProposalStore>().ReviewAsync(id, ProposalStatus.Approved, "ops", CancellationToken.None), Is.True);
        using var crash = new CancellationTokenSource();
        _zendesk.OnArticleCreated = crash.Cancel; // the article exists; the process "dies" before it hears back

        Assert.That(async () => await _host.Service<ProposalPublisher>().PublishAsync(id, crash.Token), Throws.InstanceOf<OperationCanceledException>());
        _zendesk.OnArticleCreated = null;
        var stored = await _host.Service<ProposalStore>().GetAsync(id, CancellationToken.None);
        Assert.That((stored!.Status, stored.PublishAttempts, stored.PublishedArticleId), Is.EqualTo((ProposalStatus.Approved, 1, (string?)null)), "the intent was recorded, the id never stored");
        Assert.That(_zendesk.CreatedArticles, Has.Count.EqualTo(1));

        // At once: the crashed attempt's lease still holds the proposal.
        using (var busy = await _host.Client.PostAsync($"/api/knowledge/proposals/{id}/publish", null))
            Assert.That(busy.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        // Once the lease has run out, the retry looks for the marker first.
        var published = await Eventually.GetAsync(async () =>
        {
            using var response = await _host.Client.PostAsync($"/api/knowledge/proposals/{id}/publish", null);
            return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }, p => p is not null, TimeSpan.FromSeconds(15), because: "a retry after the lease");
        Assert.That(published!["publish"]!.GetValue<string>(), Is.EqualTo("published"));
        Assert.That(_zendesk.ArticlePosts, Has.Count.EqualTo(1), "exactly one article");
        Assert.That(published["proposal"]!["published_article_id"]!.GetValue<string>(), Is.EqualTo(Id(_zendesk.CreatedArticles.Single().Id)));
        Assert.That(await IndexedAsync("zendesk", Id(_zendesk.CreatedArticles.Single().Id)), Is.EqualTo(("agents", 1L)));
    }
}
