using System.Text.Json.Nodes;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks.Zendesk;

/// <summary>Tags (add, never replace) and Help Center articles (cursor pages) against the loopback Zendesk.</summary>
public class ZendeskTagsAndHelpCenterTests
{
    private FakeZendesk _zendesk = null!;

    [SetUp]
    public async Task StartAsync() => _zendesk = await FakeZendesk.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _zendesk.DisposeAsync();

    private ZendeskClient Client()
    {
        var options = new ZendeskOptions { BaseUrl = _zendesk.BaseUrl, Email = "bot@example.com", ApiToken = "t0ken" };
        return HelpdeskClients.Zendesk(options);
    }

    [Test]
    public async Task AddTags_UsesPutWhichAddsAndKeepsTheExistingTags()
    {
        var ticket = _zendesk.AddTicket(31, "Refund", "Where is my refund?");
        ticket.AddTag("vip");

        var result = await Client().AddTagsAsync("31", ["refund", "vip"], CancellationToken.None);

        Assert.That(result.Succeeded, Is.True);
        var request = _zendesk.Requests.Single();
        Assert.That((request.Method, request.PathAndQuery), Is.EqualTo(("PUT", "/api/v2/tickets/31/tags")), "POST would replace the tags");
        Assert.That(JsonNode.Parse(request.Body!)!["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "refund", "vip" }));
        Assert.That(ticket.Tags, Is.EqualTo(new[] { "vip", "refund" }));
    }

    [Test]
    public async Task AddTags_None_SendsNothing()
    {
        _zendesk.AddTicket(32, "Refund", "Where is my refund?");
        var result = await Client().AddTagsAsync("32", [], CancellationToken.None);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(_zendesk.Requests, Is.Empty);
    }

    [Test]
    public async Task ListHelpCenterArticles_FollowsTheCursorAndFlagsDraftsAndRestrictedArticles()
    {
        _zendesk.PageSize = 2;
        _zendesk.Articles.Add((1, "How refunds work", "<p>Refunds take 5 days.</p>", false, null));
        _zendesk.Articles.Add((2, "Unreleased plans", "<p>Secret.</p>", true, null));
        _zendesk.Articles.Add((3, "Agent-only macro guide", "<p>Internal.</p>", false, 987));

        var articles = new List<HelpCenterArticle>();
        await foreach (var article in Client().ListHelpCenterArticlesAsync(CancellationToken.None))
            articles.Add(article);

        Assert.That(articles.Select(a => (a.Id, a.Title, a.IsCustomerFacing)), Is.EqualTo(new[]
        {
            ("1", "How refunds work", true),
            ("2", "Unreleased plans", false),
            ("3", "Agent-only macro guide", false),
        }));
        Assert.That(articles[0].Url, Is.EqualTo("https://help.example.com/hc/en-us/articles/1"));
        Assert.That(_zendesk.Requests.Select(r => r.PathAndQuery), Is.EqualTo(new[]
        {
            "/api/v2/help_center/articles?page[size]=100",
            "/api/v2/help_center/articles?page[size]=100&page[after]=2",
        }));
    }
}
