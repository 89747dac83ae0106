using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// Solutions writes: Create a Solution Article in a folder (answered in the recorded article's shape), and the folder's
/// article list serving what was created (the recorded folder 3 keeps its fixture).
/// </summary>
public sealed partial class FakeFreshdesk
{
    private long _nextArticleId = 5_000;
    private readonly ConcurrentQueue<int> _articleCreateFailures = new();

    /// <summary>Articles created through the API, oldest first: id, folder, the request body.</summary>
    public ConcurrentQueue<(long Id, long FolderId, JsonObject Body)> CreatedArticles { get; } = new();

    /// <summary>The next creates store the article and still answer with this status: the answer is lost, the article is there.</summary>
    public void LoseNextArticleCreateAnswers(int status, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _articleCreateFailures.Enqueue(status);
    }

    public IReadOnlyList<RecordedRequest> ArticlePosts =>
        Requests.Where(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/api/v2/solutions/", StringComparison.Ordinal)).ToList();

    private void MapSolutionDrafts() =>
        _server.Map("POST", @"^/api/v2/solutions/folders/\d+/articles$", r => CreateSolutionArticle(WireMockLoopback.IdAt(r, 4), WireMockLoopback.BodyJson(r)));

    private IResponseMessage CreateSolutionArticle(long folderId, JsonNode? body)
    {
        if (body is not JsonObject sent || sent["title"] is null || sent["description"] is null || sent["status"] is null)
            return WireMockLoopback.Json(new JsonObject { ["description"] = "Validation failed", ["errors"] = new JsonArray() }, 400);
        var id = Interlocked.Increment(ref _nextArticleId);
        CreatedArticles.Enqueue((id, folderId, (JsonObject)sent.DeepClone()));
        if (_articleCreateFailures.TryDequeue(out var status))
            return WireMockLoopback.Json(new JsonObject { ["code"] = "internal_error" }, status);
        return WireMockLoopback.Json(SolutionArticleJson(id, folderId, sent), 201);
    }

    /// <summary>The articles created in a folder, in the recorded shape (one page: no Link header).</summary>
    private IResponseMessage CreatedFolderArticles(long folderId) =>
        WireMockLoopback.Json(new JsonArray(CreatedArticles.Where(a => a.FolderId == folderId).Select(a => (JsonNode)SolutionArticleJson(a.Id, a.FolderId, a.Body)).ToArray()));

    private static JsonObject SolutionArticleJson(long id, long folderId, JsonObject sent)
    {
        var node = (JsonObject)JsonNode.Parse(Fixtures.Text("freshdesk/solution_articles.json"))!.AsArray()[0]!.DeepClone();
        node["id"] = id;
        node["folder_id"] = folderId;
        node["title"] = sent["title"]?.DeepClone();
        node["description"] = sent["description"]?.DeepClone();
        node["description_text"] = System.Text.RegularExpressions.Regex.Replace(sent["description"]?.GetValue<string>() ?? "", "<[^>]+>", " ").Trim();
        node["status"] = sent["status"]?.DeepClone();
        node["tags"] = sent["tags"]?.DeepClone() ?? new JsonArray();
        return node;
    }
}
