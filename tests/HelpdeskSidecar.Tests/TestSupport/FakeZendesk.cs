using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback Zendesk: Kestrel on 127.0.0.1:0 answering show ticket, list comments (cursor pages) and
/// update ticket with bodies built from the recorded fixtures, recording every request it gets.
/// </summary>
public sealed partial class FakeZendesk : IAsyncDisposable
{
    public const long AgentId = 456456;
    public const long CustomerId = 123123;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, FakeTicket> _tickets = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _putFailures = new();

    private FakeZendesk(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    /// <summary>The sidecar's settings for talking to this fake (API-token auth), for <c>SidecarTestHost.StartAsync</c>.</summary>
    public string[] ConnectionSettings => [$"Sidecar:Zendesk:BaseUrl={BaseUrl}", "Sidecar:Zendesk:Email=agent@example.com", "Sidecar:Zendesk:ApiToken=token123"];

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Comments per page the fake serves (smaller than asked, as a real server may), to exercise the cursor.</summary>
    public int PageSize { get; set; } = 2;

    public static async Task<FakeZendesk> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeZendesk(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            fake.Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                body.Length == 0 ? null : body, context.Request.Headers.Authorization.ToString(), TimeProvider.System.GetTimestamp()));
            // Like many servers and gateways in front of real helpdesks: a body must come with its length, not chunked.
            if (HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPost(context.Request.Method))
            {
                if (context.Request.ContentLength is null)
                {
                    context.Response.StatusCode = StatusCodes.Status411LengthRequired;
                    return;
                }
            }
            await next();
        });
        app.MapGet("/api/v2/tickets/{id:long}", (long id) => fake.ShowTicket(id));
        app.MapGet("/api/v2/tickets/{id:long}/comments", (long id, HttpRequest request) => fake.ListComments(id, request));
        app.MapPut("/api/v2/tickets/{id:long}", (long id, JsonObject body) => fake.UpdateTicket(id, body));
        app.MapPut("/api/v2/tickets/{id:long}/tags", (long id, JsonObject body) => fake.AddTags(id, body));
        app.MapGet("/api/v2/help_center/articles", (HttpRequest request) => fake.ListArticles(request));
        app.MapGet("/api/v2/incremental/tickets/cursor.json", (HttpRequest request) => fake.ExportTickets(request));
        fake.MapCustomers(app);
        await app.StartAsync();
        return fake;
    }

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

    private IResult ShowTicket(long id)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return Results.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, statusCode: 404);
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
        return Results.Json(json);
    }

    private IResult ListComments(long id, HttpRequest request)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return Results.Json(new JsonObject { ["error"] = "RecordNotFound" }, statusCode: 404);
        var comments = ticket.Comments.ToList();
        var start = request.Query["page[after]"] is { Count: > 0 } after ? int.Parse(after[0]!, CultureInfo.InvariantCulture) : 0;
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
        if (request.Query["include"] == "users" && SideloadUsers)
        {
            response["users"] = new JsonArray(
                new JsonObject { ["id"] = CustomerId, ["name"] = "Casey Customer", ["role"] = "end-user", ["locale"] = "en-US" },
                new JsonObject { ["id"] = AgentId, ["name"] = "Alex Agent", ["role"] = "agent", ["locale"] = "en-US" });
        }
        return Results.Json(response);
    }

    private IResult UpdateTicket(long id, JsonObject body)
    {
        if (_putFailures.TryDequeue(out var failure))
        {
            return new RecordedErrorResult(failure.Status, failure.RetryAfter, Fixtures.Bytes("zendesk/rate_limited_429.json"));
        }
        if (!_tickets.TryGetValue(id, out var ticket))
            return Results.Json(new JsonObject { ["error"] = "RecordNotFound" }, statusCode: 404);
        if (body["ticket"]?["comment"] is JsonObject comment)
            ticket.AddComment(AgentId, comment["body"]?.GetValue<string>() ?? "", comment["public"]?.GetValue<bool>() ?? true);
        var json = JsonNode.Parse(Fixtures.Text("zendesk/update_ticket.json"))!;
        json["ticket"]!["id"] = id;
        return Results.Json(json);
    }

    /// <summary>Help Center articles the fake serves, in order.</summary>
    public List<(long Id, string Title, string Body, bool Draft, long? UserSegmentId)> Articles { get; } = [];

    /// <summary>An article's <c>html_url</c> when it is not the usual https address (by article id).</summary>
    public Dictionary<long, string> ArticleUrls { get; } = [];

    /// <summary>When set, every page after the first answers 400: a listing that breaks half-way.</summary>
    public bool FailArticlePagesAfterFirst { get; set; }

    /// <summary>List Articles with cursor pagination, each article shaped like the recorded one.</summary>
    private IResult ListArticles(HttpRequest request)
    {
        var start = request.Query["page[after]"] is { Count: > 0 } after ? int.Parse(after[0]!, CultureInfo.InvariantCulture) : 0;
        if (start > 0 && FailArticlePagesAfterFirst)
            return Results.Json(new JsonObject { ["error"] = "InvalidPaginationParameter" }, statusCode: 400);
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
        return Results.Json(new JsonObject
        {
            ["articles"] = array,
            ["meta"] = new JsonObject { ["has_more"] = hasMore, ["after_cursor"] = hasMore ? next.ToString(CultureInfo.InvariantCulture) : null, ["before_cursor"] = null },
        });
    }

    /// <summary>Add Tags (PUT): merges into the ticket's tags and answers with the whole list, shaped like the fixture.</summary>
    private IResult AddTags(long id, JsonObject body)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return Results.Json(new JsonObject { ["error"] = "RecordNotFound" }, statusCode: 404);
        if (body["tags"] is not JsonArray tags)
            return Results.Json(new JsonObject { ["error"] = "InvalidValue" }, statusCode: 422);
        foreach (var tag in tags)
            ticket.AddTag(tag!.GetValue<string>());
        var json = JsonNode.Parse(Fixtures.Text("zendesk/add_tags.json"))!;
        json["tags"] = new JsonArray(ticket.Tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        return Results.Json(json);
    }

    public IReadOnlyList<RecordedRequest> TagPuts(long ticketId) =>
        Requests.Where(r => r.Method == "PUT" && r.PathAndQuery == $"/api/v2/tickets/{ticketId}/tags").ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <param name="ReceivedAt">A <see cref="TimeProvider.GetTimestamp"/> reading, for latency measurements.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Body, string Authorization, long ReceivedAt);

public sealed class FakeTicket(long id, string subject, string description)
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

/// <summary>An error answer with the recorded body and, when given, a <c>Retry-After</c> header.</summary>
internal sealed class RecordedErrorResult(int status, string? retryAfter, byte[] body) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json";
        if (retryAfter is not null)
            httpContext.Response.Headers.RetryAfter = retryAfter;
        await httpContext.Response.Body.WriteAsync(body);
    }
}
