using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks.Freshdesk;

/// <summary>The Freshdesk client over loopback against the fake serving the recorded fixtures.</summary>
public class FreshdeskClientTests
{
    private FakeFreshdesk _fake = null!;

    [SetUp]
    public async Task StartAsync() => _fake = await FakeFreshdesk.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _fake.DisposeAsync();

    private FreshdeskClient Client(string apiKey = FakeFreshdesk.ApiKey)
    {
        var options = new FreshdeskOptions { BaseUrl = _fake.BaseUrl, ApiKey = apiKey };
        return HelpdeskClients.Freshdesk(options);
    }

    [Test]
    public async Task GetTicket_MapsDescriptionRepliesAndNotesToNeutralRoles()
    {
        _fake.PageSize = 2;
        var ticket = _fake.AddTicket(5, "Where is my parcel", "I ordered a week ago.", "Any news?", "Hello?");
        ticket.AddConversation(FakeFreshdesk.AgentId, "<div>Checking with the courier</div>", isPrivate: true, incoming: false, source: 2);
        ticket.AddConversation(FakeFreshdesk.AgentId, "<div>It ships today.</div>", isPrivate: false, incoming: false);

        var mapped = await Client().GetTicketAsync("5", CancellationToken.None);

        Assert.That(mapped.Provider, Is.EqualTo("freshdesk"));
        Assert.That(mapped.Id, Is.EqualTo("5"));
        Assert.That(mapped.Subject, Is.EqualTo("Where is my parcel"));
        Assert.That(mapped.Status, Is.EqualTo("open"));
        Assert.That(mapped.Tags, Is.EqualTo(new[] { "foo", "bar" }));
        Assert.That(mapped.RequesterName, Is.EqualTo("Casey Customer"));
        Assert.That(mapped.Channel, Is.EqualTo("email"));
        Assert.That(mapped.Comments.Select(c => (c.AuthorRole, c.IsPublic, c.Body)), Is.EqualTo(new[]
        {
            (AuthorRole.EndUser, true, "I ordered a week ago."),
            (AuthorRole.EndUser, true, "Any news?"),
            (AuthorRole.EndUser, true, "Hello?"),
            (AuthorRole.Agent, false, "Checking with the courier"),
            (AuthorRole.Agent, true, "It ships today."),
        }));
        Assert.That(mapped.AwaitsAgentReply, Is.False, "the agent answered last");
        // 4 conversations at 2 per page: two pages, then no Link.
        Assert.That(_fake.Requests.Count(r => r.PathAndQuery.Contains("/conversations", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(_fake.Requests.First().PathAndQuery, Is.EqualTo("/api/v2/tickets/5?include=requester"));
    }

    [Test]
    public async Task Requests_UseApiKeyAsBasicUserWithPasswordX()
    {
        _fake.AddTicket(6, "Hi", "Hello");
        await Client().GetTicketAsync("6", CancellationToken.None);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeFreshdesk.ApiKey}:X"));
        Assert.That(_fake.Requests.Select(r => r.Authorization), Is.All.EqualTo(expected));
    }

    [Test]
    public void GetTicket_WrongApiKey_ThrowsPermanentError()
    {
        _fake.AddTicket(7, "Hi", "Hello");
        var ex = Assert.ThrowsAsync<HelpdeskException>(() => Client("wrong").GetTicketAsync("7", CancellationToken.None));
        Assert.That(ex!.Retryable, Is.False);
        Assert.That(ex.Message, Does.Contain("401"));
        Assert.That(ex.Message, Does.Not.Contain("wrong"));
    }

    [Test]
    public void GetTicket_Missing_ThrowsPermanentError()
    {
        var ex = Assert.ThrowsAsync<HelpdeskException>(() => Client().GetTicketAsync("404", CancellationToken.None));
        Assert.That(ex!.Retryable, Is.False);
    }

    [Test]
    public async Task AddInternalNote_PostsPrivateHtmlNoteAndReturnsItsId()
    {
        _fake.AddTicket(8, "Hi", "Hello");
        var result = await Client().AddInternalNoteAsync("8", "Line one <b>\nLine two [sidecar-suggestion:abc]", CancellationToken.None);

        Assert.That(result.Succeeded, Is.True);
        var note = _fake.Notes(8).Single();
        Assert.That(result.ResourceId, Is.EqualTo(note.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(note.Private, Is.True);
        Assert.That(note.BodyHtml, Is.EqualTo("Line one &lt;b&gt;<br>Line two [sidecar-suggestion:abc]"));
        // The write-back's marker check reads the note back as text.
        var reread = await Client().GetTicketAsync("8", CancellationToken.None);
        Assert.That(reread.Comments.Last().Body, Does.Contain("[sidecar-suggestion:abc]"));
        Assert.That(reread.Comments.Last().IsPublic, Is.False);
    }

    [Test]
    public async Task AddInternalNote_429WithLongRetryAfter_IsTransientWithDelayUntil()
    {
        _fake.AddTicket(9, "Hi", "Hello");
        _fake.FailNextNotes(429, "60");
        var before = TimeProvider.System.GetUtcNow();
        var result = await Client().AddInternalNoteAsync("9", "note", CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Retryable, Is.True);
        Assert.That(result.DelayUntil, Is.GreaterThanOrEqualTo(before.AddSeconds(59)));
        Assert.That(_fake.NotePosts(9), Has.Count.EqualTo(1), "a long wait is handed back to be rescheduled, not waited out");
        Assert.That(_fake.Notes(9), Is.Empty);
    }

    [Test]
    public async Task AddInternalNote_BadRequest_IsPermanent()
    {
        _fake.AddTicket(10, "Hi", "Hello");
        _fake.FailNextNotes(400, null);
        var result = await Client().AddInternalNoteAsync("10", "note", CancellationToken.None);
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Retryable, Is.False);
    }

    [Test]
    public async Task ListSolutionArticles_WalksCategoriesFoldersAndArticlePages()
    {
        _fake.PageSize = 1;
        var articles = new List<SolutionArticle>();
        await foreach (var article in Client().ListSolutionArticlesAsync(CancellationToken.None))
            articles.Add(article);

        Assert.That(articles.Select(a => (a.Id, a.Title, a.Category, a.Folder)), Is.EqualTo(new[]
        {
            ("4", "Changing account details", "General Category", "Getting Started"),
            ("5", "Adding a payment method", "General Category", "Getting Started"),
        }));
        Assert.That(articles[0].IsCustomerFacing, Is.True);
        Assert.That(articles[1].IsPublished, Is.False, "status 1 is a draft");
        Assert.That(articles[1].IsCustomerFacing, Is.False);
        Assert.That(articles[0].Body, Does.StartWith("Update your account details"));
        Assert.That(articles[0].Tags, Is.EqualTo(new[] { "foo", "bar" }));
        Assert.That(_fake.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v2/solutions/folders/3/articles", StringComparison.Ordinal)), Is.EqualTo(2),
            "two articles at one per page: the second page came from the Link header");
    }

    [Test]
    public async Task AddTags_ReadsThenWritesTheUnionBecausePutReplaces()
    {
        _fake.AddTicket(20, "Hi", "Hello");
        var result = await Client().AddTagsAsync("20", ["refund", "FOO"], CancellationToken.None);

        Assert.That(result.Succeeded, Is.True);
        var put = _fake.Requests.Single(r => r.Method == "PUT");
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(put.Body!)!["tags"]!.AsArray().Select(t => t!.GetValue<string>()),
            Is.EqualTo(new[] { "foo", "bar", "refund" }), "the recorded tags are kept, FOO is already there as foo");
    }

    [Test]
    public async Task AddTags_AllPresent_WritesNothing()
    {
        _fake.AddTicket(21, "Hi", "Hello");
        var result = await Client().AddTagsAsync("21", ["bar"], CancellationToken.None);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(_fake.Requests.Where(r => r.Method == "PUT"), Is.Empty);
    }
}
