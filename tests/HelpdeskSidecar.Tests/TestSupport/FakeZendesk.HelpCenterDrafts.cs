using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// Help Center writes: Create Article in Section (answered with the recorded article's shape, 201) and List Articles in
/// Section with a <c>label_names</c> filter (only articles with every label, as Zendesk documents it).
/// </summary>
public sealed partial class FakeZendesk
{
    private long _nextArticleId = 360_000_000_000;
    private readonly ConcurrentQueue<int> _articleCreateFailures = new();

    /// <summary>Articles created through the API, oldest first: id, section, the request's article object.</summary>
    public ConcurrentQueue<(long Id, long SectionId, JsonObject Article)> CreatedArticles { get; } = new();

    /// <summary>Runs after an article is created and before the answer is sent (a test cancels its caller here: a crash in between).</summary>
    public Action? OnArticleCreated { get; set; }

    /// <summary>The next creates store the article and still answer with this status: the answer is lost, the article is there.</summary>
    public void LoseNextArticleCreateAnswers(int status, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _articleCreateFailures.Enqueue(status);
    }

    public IReadOnlyList<RecordedRequest> ArticlePosts =>
        Requests.Where(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/api/v2/help_center/", StringComparison.Ordinal)).ToList();

    private void MapHelpCenterDrafts()
    {
        _server.Map("POST", @"^/api/v2/help_center/sections/\d+/articles$", r => CreateArticle(WireMockLoopback.IdAt(r, 4), WireMockLoopback.BodyJson(r)));
        _server.Map("GET", @"^/api/v2/help_center/sections/\d+/articles$", r => ListSectionArticles(WireMockLoopback.IdAt(r, 4), r));
    }

    private IResponseMessage CreateArticle(long sectionId, JsonNode? body)
    {
        if (body?["article"] is not JsonObject article || article["title"] is null || article["locale"] is null)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordInvalid", ["description"] = "Record validation errors" }, 400);
        var id = Interlocked.Increment(ref _nextArticleId);
        CreatedArticles.Enqueue((id, sectionId, (JsonObject)article.DeepClone()));
        OnArticleCreated?.Invoke();
        if (_articleCreateFailures.TryDequeue(out var status))
            return WireMockLoopback.Error(status, null, Fixtures.Bytes("zendesk/rate_limited_429.json"));
        return WireMockLoopback.Json(new JsonObject { ["article"] = ArticleJson(id, sectionId, article) }, 201);
    }

    private IResponseMessage ListSectionArticles(long sectionId, IRequestMessage request)
    {
        var labels = (WireMockLoopback.Query(request, "label_names") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var matching = CreatedArticles.Where(a => a.SectionId == sectionId)
            .Where(a => labels.All(l => (a.Article["label_names"] as JsonArray ?? []).Any(n => n?.GetValue<string>() == l)))
            .Select(a => (JsonNode)ArticleJson(a.Id, a.SectionId, a.Article)).ToArray();
        return WireMockLoopback.Json(new JsonObject
        {
            ["articles"] = new JsonArray(matching),
            ["meta"] = new JsonObject { ["has_more"] = false, ["after_cursor"] = null, ["before_cursor"] = null },
        });
    }

    private static JsonObject ArticleJson(long id, long sectionId, JsonObject sent)
    {
        var node = (JsonObject)JsonNode.Parse(Fixtures.Text("zendesk/help_center_article.json"))!["article"]!.DeepClone();
        node["id"] = id;
        node["section_id"] = sectionId;
        node["title"] = sent["title"]?.DeepClone();
        node["name"] = sent["title"]?.DeepClone();
        node["body"] = sent["body"]?.DeepClone();
        node["locale"] = sent["locale"]?.DeepClone();
        node["draft"] = sent["draft"]?.GetValue<bool>() ?? false;
        node["label_names"] = sent["label_names"]?.DeepClone() ?? new JsonArray();
        node["user_segment_id"] = sent["user_segment_id"]?.DeepClone();
        node["html_url"] = $"https://help.example.com/hc/en-us/articles/{id}";
        node["url"] = $"https://example.zendesk.com/api/v2/help_center/en-us/articles/{id}.json";
        return node;
    }
}
