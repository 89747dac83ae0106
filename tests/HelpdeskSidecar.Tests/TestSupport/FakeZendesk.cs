using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback Zendesk: a WireMock server on 127.0.0.1 answering show ticket, list comments (cursor pages) and
/// update ticket with bodies built from the recorded fixtures; <see cref="Requests"/> is WireMock's request log.
/// </summary>
public sealed partial class FakeZendesk : IAsyncDisposable
{
    public const long AgentId = 456456;
    public const long CustomerId = 123123;

    private const string Ticket = @"^/api/v2/tickets/\d+$";

    private readonly WireMockLoopback _server = new();
    private readonly ConcurrentDictionary<long, FakeTicket> _tickets = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _putFailures = new();

    private FakeZendesk()
    {
        _server.RequireContentLength();
        _server.Map("GET", Ticket, r => ShowTicket(WireMockLoopback.IdAt(r, 3)));
        _server.Map("GET", @"^/api/v2/tickets/\d+/comments$", r => ListComments(WireMockLoopback.IdAt(r, 3), r));
        _server.Map("PUT", Ticket, r => UpdateTicket(WireMockLoopback.IdAt(r, 3), WireMockLoopback.BodyJson(r)));
        _server.Map("PUT", @"^/api/v2/tickets/\d+/tags$", r => AddTags(WireMockLoopback.IdAt(r, 3), WireMockLoopback.BodyJson(r)));
        _server.Map("GET", "^/api/v2/help_center/articles$", ListArticles);
        _server.Map("GET", "^/api/v2/incremental/tickets/cursor\\.json$", ExportTickets);
        MapCustomers();
        MapHistory();
        MapHelpCenterDrafts();
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>The sidecar's settings for talking to this fake (API-token auth), for <c>SidecarTestHost.StartAsync</c>.</summary>
    public string[] ConnectionSettings => [$"Sidecar:Zendesk:BaseUrl={BaseUrl}", "Sidecar:Zendesk:Email=agent@example.com", "Sidecar:Zendesk:ApiToken=token123"];

    /// <summary>Every request received so far, oldest first (WireMock's request log).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _server.Requests();

    /// <summary>Comments per page the fake serves (smaller than asked, as a real server may), to exercise the cursor.</summary>
    public int PageSize { get; set; } = 2;

    public static Task<FakeZendesk> StartAsync() => Task.FromResult(new FakeZendesk());

    public FakeTicket AddTicket(long id, string subject, params string[] customerMessages)
    {
        var ticket = new FakeTicket(id, subject, customerMessages[0]);
        foreach (var message in customerMessages)
            ticket.AddComment(CustomerId, message, isPublic: true);
        _tickets[id] = ticket;
        return ticket;
    }

    /// <summary>The next update-ticket calls answer with these statuses (e.g. 429 with Retry-After) before succeeding.</summary>
    public void FailNextUpdates(int status, string? retryAfter, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _putFailures.Enqueue((status, retryAfter));
    }

    /// <summary>Updates of the ticket itself (notes), not of its tags.</summary>
    public IReadOnlyList<RecordedRequest> Puts(long ticketId) =>
        Requests.Where(r => r.Method == "PUT" && r.PathAndQuery == $"/api/v2/tickets/{ticketId}").ToList();

    private IResponseMessage ShowTicket(long id)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, 404);
        var json = JsonNode.Parse(Fixtures.Text("zendesk/show_ticket.json"))!;
        var t = json["ticket"]!;
        t["id"] = id;
        t["url"] = $"https://example.zendesk.com/api/v2/tickets/{id}.json";
        t["subject"] = ticket.Subject;
        t["raw_subject"] = ticket.Subject;
        t["description"] = ticket.Description;
        t["status"] = ticket.Status;
        t["tags"] = new JsonArray(ticket.Tags.Select(tag => (JsonNode)JsonValue.Create(tag)!).ToArray());
        t["requester_id"] = CustomerId;
        t["submitter_id"] = CustomerId;
        t["organization_id"] = ticket.OrganizationId;
        if (ticket.BrandId is { } brand)
            t["brand_id"] = brand;
        ShowRoute(t, ticket);
        return WireMockLoopback.Json(json);
    }

    private IResponseMessage ListComments(long id, IRequestMessage request)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound" }, 404);
        var comments = ticket.Comments.ToList();
        var start = WireMockLoopback.Query(request, "page[after]") is { } after ? int.Parse(after, CultureInfo.InvariantCulture) : 0;
        var page = comments.Skip(start).Take(PageSize).ToList();
        var next = start + page.Count;
        var template = JsonNode.Parse(Fixtures.Text("zendesk/list_comments.json"))!;
        var commentTemplate = template["comments"]![0]!;
        var array = new JsonArray();
        foreach (var c in page)
        {
            var node = commentTemplate.DeepClone();
            node["id"] = c.Id;
            node["body"] = c.Body;
            node["author_id"] = c.AuthorId;
            node["public"] = c.Public;
            node["created_at"] = c.CreatedAt;
            array.Add(node);
        }
        var hasMore = next < comments.Count;
        var response = new JsonObject
        {
            ["comments"] = array,
            ["meta"] = new JsonObject { ["has_more"] = hasMore, ["after_cursor"] = hasMore ? next.ToString(CultureInfo.InvariantCulture) : null, ["before_cursor"] = null },
            ["links"] = new JsonObject { ["next"] = hasMore ? $"{BaseUrl}/api/v2/tickets/{id}/comments.json?page[after]={next}" : null, ["prev"] = null },
        };
        if (WireMockLoopback.Query(request, "include") == "users" && SideloadUsers)
        {
            response["users"] = new JsonArray(
                new JsonObject { ["id"] = CustomerId, ["name"] = "Casey Customer", ["role"] = "end-user", ["locale"] = "en-US" },
                new JsonObject { ["id"] = AgentId, ["name"] = "Alex Agent", ["role"] = "agent", ["locale"] = "en-US" });
        }
        return WireMockLoopback.Json(response);
    }

    private IResponseMessage UpdateTicket(long id, JsonNode? body)
    {
        if (_putFailures.TryDequeue(out var failure))
        {
            return WireMockLoopback.Error(failure.Status, failure.RetryAfter, Fixtures.Bytes("zendesk/rate_limited_429.json"));
        }
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound" }, 404);
        if (RouteUpdate(ticket, body?["ticket"]) is { } refused)
            return refused;
        if (body?["ticket"]?["comment"] is JsonObject comment)
            ticket.AddComment(AgentId, comment["body"]?.GetValue<string>() ?? "", comment["public"]?.GetValue<bool>() ?? true);
        var json = JsonNode.Parse(Fixtures.Text("zendesk/update_ticket.json"))!;
        json["ticket"]!["id"] = id;
        return WireMockLoopback.Json(json);
    }

    /// <summary>Help Center articles the fake serves, in order.</summary>
    public List<(long Id, string Title, string Body, bool Draft, long? UserSegmentId)> Articles { get; } = [];

    /// <summary>An article's <c>html_url</c> when it is not the usual https address (by article id).</summary>
    public Dictionary<long, string> ArticleUrls { get; } = [];

    /// <summary>When set, every page after the first answers 400: a listing that breaks half-way.</summary>
    public bool FailArticlePagesAfterFirst { get; set; }

    /// <summary>List Articles with cursor pagination, each article shaped like the recorded one.</summary>
    private IResponseMessage ListArticles(IRequestMessage request)
    {
        var start = WireMockLoopback.Query(request, "page[after]") is { } after ? int.Parse(after, CultureInfo.InvariantCulture) : 0;
        if (start > 0 && FailArticlePagesAfterFirst)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "InvalidPaginationParameter" }, 400);
        var page = Articles.Skip(start).Take(PageSize).ToList();
        var next = start + page.Count;
        var template = JsonNode.Parse(Fixtures.Text("zendesk/help_center_article.json"))!["article"]!;
        var array = new JsonArray();
        foreach (var a in page)
        {
            var node = template.DeepClone();
            node["id"] = a.Id;
            node["title"] = a.Title;
            node["name"] = a.Title;
            node["body"] = a.Body;
            node["draft"] = a.Draft;
            node["user_segment_id"] = a.UserSegmentId;
            node["html_url"] = ArticleUrls.GetValueOrDefault(a.Id, $"https://help.example.com/hc/en-us/articles/{a.Id}");
            array.Add(node);
        }
        var hasMore = next < Articles.Count;
        return WireMockLoopback.Json(new JsonObject
        {
            ["articles"] = array,
            ["meta"] = new JsonObject { ["has_more"] = hasMore, ["after_cursor"] = hasMore ? next.ToString(CultureInfo.InvariantCulture) : null, ["before_cursor"] = null },
        });
    }

    /// <summary>Add Tags (PUT): merges into the ticket's tags and answers with the whole list, shaped like the fixture.</summary>
    private IResponseMessage AddTags(long id, JsonNode? body)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound" }, 404);
        if (body?["tags"] is not JsonArray tags)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "InvalidValue" }, 422);
        foreach (var tag in tags)
            ticket.AddTag(tag!.GetValue<string>());
        var json = JsonNode.Parse(Fixtures.Text("zendesk/add_tags.json"))!;
        json["tags"] = new JsonArray(ticket.Tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        return WireMockLoopback.Json(json);
    }

    public IReadOnlyList<RecordedRequest> TagPuts(long ticketId) =>
        Requests.Where(r => r.Method == "PUT" && r.PathAndQuery == $"/api/v2/tickets/{ticketId}/tags").ToList();

    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <param name="ReceivedAt">A <see cref="TimeProvider.GetTimestamp"/> reading, for latency measurements.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Body, string Authorization, long ReceivedAt);

public sealed partial class FakeTicket(long id, string subject, string description)
{
    private readonly ConcurrentQueue<FakeComment> _comments = new();
    private long _nextCommentId = id * 1000;

    public long Id { get; } = id;
    public string Subject { get; } = subject;
    public string Description { get; } = description;
    public IEnumerable<FakeComment> Comments => _comments;

    /// <summary>The ticket's organization (null: none; the requester's organization then counts).</summary>
    public long? OrganizationId { get; set; }

    /// <summary>The ticket's brand (null: the recorded fixture's brand).</summary>
    public long? BrandId { get; set; }

    /// <summary>What show ticket reports (<c>open</c> until a test solves the ticket).</summary>
    public string Status { get; set; } = "open";

    public IReadOnlyList<string> Tags { get { lock (_tags) return [.. _tags]; } }

    private readonly List<string> _tags = [];

    public void RemoveTag(string tag)
    {
        lock (_tags)
            _tags.Remove(tag);
    }

    public void AddTag(string tag)
    {
        lock (_tags)
        {
            if (!_tags.Contains(tag))
                _tags.Add(tag);
        }
    }

    public FakeComment AddComment(long authorId, string body, bool isPublic)
    {
        var comment = new FakeComment(Interlocked.Increment(ref _nextCommentId), authorId, body, isPublic,
            $"2026-01-01T00:{_comments.Count:00}:00Z");
        _comments.Enqueue(comment);
        return comment;
    }
}

public sealed record FakeComment(long Id, long AuthorId, string Body, bool Public, string CreatedAt);
