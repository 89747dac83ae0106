using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>Show User and Show Organization, shaped like the recorded examples (Fixtures/zendesk/show_user.json, show_organization.json).</summary>
public sealed partial class FakeZendesk
{
    /// <summary>The customer (<see cref="CustomerId"/>), who requests every fake ticket.</summary>
    public FakeCustomerProfile Customer { get; } = new();

    public ConcurrentDictionary<long, FakeCustomerProfile> Organizations { get; } = new();

    private void MapCustomers()
    {
        _server.Map("GET", @"^/api/v2/users/\d+$", r => ShowUser(WireMockLoopback.IdAt(r, 3)));
        _server.Map("GET", "^/api/v2/users/show_many$", ShowManyUsers);
        _server.Map("GET", @"^/api/v2/brands/\d+$", r => ShowBrand(WireMockLoopback.IdAt(r, 3)));
        _server.Map("GET", @"^/api/v2/organizations/\d+$", r => ShowOrganization(WireMockLoopback.IdAt(r, 3)));
    }

    private IResponseMessage ShowBrand(long id) => Brands.TryGetValue(id, out var name)
        ? WireMockLoopback.Json(new JsonObject { ["brand"] = new JsonObject { ["id"] = id, ["name"] = name, ["url"] = $"https://example.zendesk.com/api/v2/brands/{id}.json", ["active"] = true } })
        : WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, 404);

    private IResponseMessage ShowUser(long id)
    {
        if (id != CustomerId)
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, 404);
        var json = JsonNode.Parse(Fixtures.Text("zendesk/show_user.json"))!;
        var user = json["user"]!;
        user["id"] = id;
        user["url"] = $"https://example.zendesk.com/api/v2/users/{id}.json";
        user["name"] = "Casey Customer";
        user["role"] = "end-user";
        user["organization_id"] = Customer.OrganizationId;
        user["tags"] = Tags(Customer.Tags);
        user["user_fields"] = FieldsOf(Customer.Fields);
        return WireMockLoopback.Json(json);
    }

    /// <summary>
    /// Users Show Many Users knows besides the customer and the agent, by id: e.g. a customer in CC, whom the comments'
    /// <c>include=users</c> sideload leaves out.
    /// </summary>
    public ConcurrentDictionary<long, (string Name, string Role)> OtherUsers { get; } = new();

    /// <summary>Brand names Show Brand answers with, by brand id (others: 404).</summary>
    public ConcurrentDictionary<long, string> Brands { get; } = new();

    /// <summary>False: list comments answers without the <c>users</c> sideload, as when it is cut short.</summary>
    public bool SideloadUsers { get; set; } = true;

    /// <summary>Show Many Users (<c>?ids=1,2</c>): each known user shaped like the recorded one; unknown ids are left out.</summary>
    private IResponseMessage ShowManyUsers(IRequestMessage request)
    {
        var ids = (WireMockLoopback.Query(request, "ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse);
        var users = new JsonArray();
        foreach (var id in ids)
        {
            (string Name, string Role)? known = id switch
            {
                CustomerId => ("Casey Customer", "end-user"),
                AgentId => ("Alex Agent", "agent"),
                _ => OtherUsers.TryGetValue(id, out var other) ? other : null,
            };
            if (known is not { } user)
                continue;
            var node = JsonNode.Parse(Fixtures.Text("zendesk/show_user.json"))!["user"]!.DeepClone();
            node["id"] = id;
            node["url"] = $"https://example.zendesk.com/api/v2/users/{id}.json";
            node["name"] = user.Name;
            node["role"] = user.Role;
            users.Add(node);
        }
        return WireMockLoopback.Json(new JsonObject { ["users"] = users });
    }

    public IReadOnlyList<RecordedRequest> ShowManyReads() =>
        Requests.Where(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/api/v2/users/show_many", StringComparison.Ordinal)).ToList();

    private IResponseMessage ShowOrganization(long id)
    {
        if (!Organizations.TryGetValue(id, out var organization))
            return WireMockLoopback.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, 404);
        var json = JsonNode.Parse(Fixtures.Text("zendesk/show_organization.json"))!;
        var o = json["organization"]!;
        o["id"] = id;
        o["url"] = $"https://example.zendesk.com/api/v2/organizations/{id}.json";
        o["tags"] = Tags(organization.Tags);
        o["organization_fields"] = FieldsOf(organization.Fields);
        return WireMockLoopback.Json(json);
    }

    private static JsonArray Tags(IEnumerable<string> tags) => new(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());

    internal static JsonObject FieldsOf(Dictionary<string, object?> fields)
    {
        var result = new JsonObject();
        foreach (var (key, value) in fields)
            result[key] = value is null ? null : JsonSerializer.SerializeToNode(value);
        return result;
    }

    public IReadOnlyList<RecordedRequest> CustomerReads() =>
        Requests.Where(r => r.Method == "GET" && (r.PathAndQuery.StartsWith("/api/v2/users/", StringComparison.Ordinal) && !r.PathAndQuery.StartsWith("/api/v2/users/show_many", StringComparison.Ordinal)
                && !r.PathAndQuery.Contains("/tickets/requested", StringComparison.Ordinal) // the customer's history (FakeZendesk.History), not their profile
            || r.PathAndQuery.StartsWith("/api/v2/organizations/", StringComparison.Ordinal))).ToList();
}
