using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback Freshdesk: a WireMock server on 127.0.0.1 answering view ticket, list conversations (pages linked through
/// the <c>Link</c> header) and create note, with bodies built from the recorded fixtures; it checks the API key
/// (Basic <c>key:X</c>) as Freshdesk does. <see cref="Requests"/> is WireMock's request log.
/// </summary>
public sealed partial class FakeFreshdesk : IAsyncDisposable
{
    public const string ApiKey = "fake-freshdesk-api-key";
    public const long AgentId = 6010396333;
    public const long CustomerId = 6012691534;

    private const string Ticket = @"^/api/v2/tickets/\d+$";

    private readonly WireMockLoopback _server = new();
    private readonly ConcurrentDictionary<long, FakeFreshdeskTicket> _tickets = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _noteFailures = new();

    private FakeFreshdesk()
    {
        _server.RequireContentLength();
        _server.RequireAuthorization("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ApiKey}:X")), 401,
            new JsonObject { ["code"] = "invalid_credentials", ["message"] = "You have to be logged in to perform this action." });
        _server.Map("GET", Ticket, r => ViewTicket(WireMockLoopback.IdAt(r, 3)));
        _server.Map("GET", @"^/api/v2/tickets/\d+/conversations$", r => ListConversations(WireMockLoopback.IdAt(r, 3), r));
        _server.Map("POST", @"^/api/v2/tickets/\d+/notes$", r => CreateNote(WireMockLoopback.IdAt(r, 3), WireMockLoopback.BodyJson(r)));
        _server.Map("PUT", Ticket, r => UpdateTicket(WireMockLoopback.IdAt(r, 3), WireMockLoopback.BodyJson(r)));
        _server.Map("GET", "^/api/v2/solutions/categories$", r => Page("freshdesk/solution_categories.json", r));
        _server.Map("GET", @"^/api/v2/solutions/categories/\d+/folders$", r =>
            WireMockLoopback.IdAt(r, 4) == 2 ? Page("freshdesk/solution_folders.json", r) : WireMockLoopback.Json(new JsonArray()));
        _server.Map("GET", @"^/api/v2/solutions/folders/\d+/articles$", r =>
            WireMockLoopback.IdAt(r, 4) == 3 ? Page("freshdesk/solution_articles.json", r) : CreatedFolderArticles(WireMockLoopback.IdAt(r, 4)));
        MapSolutionDrafts();
        MapCustomers();
        MapHistory();
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>Every request received so far, oldest first (WireMock's request log).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _server.Requests();

    /// <summary>Conversations per page the fake serves (smaller than asked, as a real server may), to exercise the Link header.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>When set, every Solutions article page names a next page (empty past the end): a listing longer than any page cap.</summary>
    public bool ArticlePagesNeverEnd { get; set; }

    public static Task<FakeFreshdesk> StartAsync() => Task.FromResult(new FakeFreshdesk());

    /// <summary>A ticket whose description is the first customer message; the others arrive as incoming replies.</summary>
    public FakeFreshdeskTicket AddTicket(long id, string subject, params string[] customerMessages)
    {
        var ticket = new FakeFreshdeskTicket(id, subject, customerMessages[0]);
        foreach (var message in customerMessages.Skip(1))
            ticket.AddConversation(CustomerId, WebUtility.HtmlEncode(message), isPrivate: false, incoming: true);
        _tickets[id] = ticket;
        return ticket;
    }

    /// <summary>The next create-note calls answer with these statuses (e.g. 429 with Retry-After) before succeeding.</summary>
    public void FailNextNotes(int status, string? retryAfter, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _noteFailures.Enqueue((status, retryAfter));
    }

    public IReadOnlyList<RecordedRequest> NotePosts(long ticketId) =>
        Requests.Where(r => r.Method == "POST" && r.PathAndQuery == $"/api/v2/tickets/{ticketId}/notes").ToList();

    /// <summary>Notes that were accepted (written), as Freshdesk stores them.</summary>
    public IReadOnlyList<FakeConversation> Notes(long ticketId) =>
        _tickets.TryGetValue(ticketId, out var t) ? t.Conversations.Where(c => c.Source == 2).ToList() : [];

    private IResponseMessage ViewTicket(long id)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied", ["message"] = "not found" }, 404);
        var t = JsonNode.Parse(Fixtures.Text("freshdesk/ticket_1.json"))!;
        t["id"] = id;
        t["subject"] = ticket.Subject;
        t["description"] = $"<div>{WebUtility.HtmlEncode(ticket.Description)}</div>";
        t["description_text"] = ticket.Description;
        t["status"] = ticket.Status;
        if (ticket.Tags is { } tags)
            t["tags"] = new JsonArray(tags.Select(tag => (JsonNode)JsonValue.Create(tag)!).ToArray());
        t["source"] = 1;
        t["requester_id"] = CustomerId;
        t["responder_id"] = AgentId;
        t["requester"]!["id"] = CustomerId;
        t["requester"]!["name"] = "Casey Customer";
        t["company_id"] = ticket.CompanyId;
        ShowRoute(t, ticket);
        return WireMockLoopback.Json(t);
    }

    private IResponseMessage ListConversations(long id, IRequestMessage request)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied" }, 404);
        var page = WireMockLoopback.Query(request, "page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        var all = ticket.Conversations.ToList();
        var items = all.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var template = JsonNode.Parse(Fixtures.Text("freshdesk/conversations.json"))!.AsArray();
        var array = new JsonArray();
        foreach (var c in items)
        {
            var node = template[c.Private ? 0 : 1]!.DeepClone();
            node["id"] = c.Id;
            node["ticket_id"] = id;
            node["body"] = c.BodyHtml;
            node["body_text"] = c.BodyText;
            node["private"] = c.Private;
            node["incoming"] = c.Incoming;
            node["user_id"] = c.UserId;
            node["source"] = c.Source;
            node["created_at"] = c.CreatedAt;
            node["updated_at"] = c.CreatedAt;
            array.Add(node);
        }
        var response = WireMockLoopback.Json(array);
        if (page * PageSize < all.Count)
            response.AddHeader("Link", $"<https://example.freshdesk.com/api/v2/tickets/{id}/conversations?per_page={PageSize}&page={page + 1}>; rel=\"next\"");
        return response;
    }

    private IResponseMessage CreateNote(long id, JsonNode? body)
    {
        if (_noteFailures.TryDequeue(out var failure))
            return WireMockLoopback.Error(failure.Status, failure.RetryAfter, """{"code":"rate_limit_exceeded","message":"Rate limit exceeded"}"""u8.ToArray());
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied" }, 404);
        var html = body?["body"]?.GetValue<string>() ?? "";
        var isPrivate = body?["private"]?.GetValue<bool>() ?? true; // Freshdesk's default
        var note = ticket.AddConversation(AgentId, html, isPrivate, incoming: false, source: 2);
        var json = JsonNode.Parse(Fixtures.Text("freshdesk/note_1.json"))!;
        json["id"] = note.Id;
        json["ticket_id"] = id;
        json["body"] = note.BodyHtml;
        json["body_text"] = note.BodyText;
        json["private"] = isPrivate;
        json["user_id"] = AgentId;
        return WireMockLoopback.Json(json, 201);
    }

    /// <summary>Update Ticket: only <c>tags</c> matters here, and it replaces the whole list, as in Freshdesk.</summary>
    private IResponseMessage UpdateTicket(long id, JsonNode? body)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
            return WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied" }, 404);
        if (body?["tags"] is JsonArray tags)
            ticket.Tags = tags.Select(t => t!.GetValue<string>()).ToList();
        ApplyRoute(ticket, body);
        return ViewTicket(id);
    }

    /// <summary>A recorded list served <see cref="PageSize"/> items at a time, the next page named in <c>Link</c>.</summary>
    private IResponseMessage Page(string fixture, IRequestMessage request)
    {
        var page = WireMockLoopback.Query(request, "page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        var all = JsonNode.Parse(Fixtures.Text(fixture))!.AsArray();
        var items = new JsonArray(all.Skip((page - 1) * PageSize).Take(PageSize).Select(n => n!.DeepClone()).ToArray());
        var endless = ArticlePagesNeverEnd && request.Path.StartsWith("/api/v2/solutions/folders/", StringComparison.Ordinal);
        var response = WireMockLoopback.Json(items);
        if (page * PageSize < all.Count || endless)
            response.AddHeader("Link", $"<https://example.freshdesk.com{request.Path}?per_page={PageSize}&page={page + 1}>; rel=\"next\"");
        return response;
    }

    public IReadOnlyList<RecordedRequest> TicketPuts(long ticketId) =>
        Requests.Where(r => r.Method == "PUT" && r.PathAndQuery == $"/api/v2/tickets/{ticketId}").ToList();

    /// <summary>What Freshdesk puts in <c>body_text</c>: the HTML without tags, line breaks kept.</summary>
    internal static string TextOf(string html) =>
        WebUtility.HtmlDecode(Tag().Replace(html.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase), ""));

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed partial class FakeFreshdeskTicket(long id, string subject, string description)
{
    private readonly ConcurrentQueue<FakeConversation> _conversations = new();
    private long _nextId = id * 1000;

    public long Id { get; } = id;
    public string Subject { get; } = subject;
    public string Description { get; } = description;
    public IEnumerable<FakeConversation> Conversations => _conversations;

    /// <summary>Freshdesk's numbered status: 2 open, 4 resolved, 5 closed.</summary>
    public int Status { get; set; } = 2;

    /// <summary>The ticket's company (null: none; the contact's company then counts).</summary>
    public long? CompanyId { get; set; }

    /// <summary>Null serves the recorded fixture's tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    public FakeConversation AddConversation(long userId, string html, bool isPrivate, bool incoming, int source = 0)
    {
        var conversation = new FakeConversation(Interlocked.Increment(ref _nextId), userId, html, FakeFreshdesk.TextOf(html), isPrivate, incoming, source,
            $"2026-01-01T00:{_conversations.Count + 1:00}:00Z");
        _conversations.Enqueue(conversation);
        return conversation;
    }
}

public sealed record FakeConversation(long Id, long UserId, string BodyHtml, string BodyText, bool Private, bool Incoming, int Source, string CreatedAt);
