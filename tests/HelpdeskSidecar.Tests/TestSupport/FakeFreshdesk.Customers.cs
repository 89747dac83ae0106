using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WireMock;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>View a Contact and View a Company, shaped like the recorded examples (Fixtures/freshdesk/contact.json, company.json).</summary>
public sealed partial class FakeFreshdesk
{
    /// <summary>The contact (<see cref="CustomerId"/>), who requests every fake ticket.</summary>
    public FakeCustomerProfile Customer { get; } = new();

    public ConcurrentDictionary<long, FakeCustomerProfile> Companies { get; } = new();

    private void MapCustomers()
    {
        _server.Map("GET", @"^/api/v2/contacts/\d+$", r => ViewContact(WireMockLoopback.IdAt(r, 3)));
        _server.Map("GET", @"^/api/v2/agents/\d+$", r => ViewAgent(WireMockLoopback.IdAt(r, 3)));
        _server.Map("GET", @"^/api/v2/companies/\d+$", r => ViewCompany(WireMockLoopback.IdAt(r, 3)));
    }

    /// <summary>View an Agent (shape: Freshdesk API v2 docs, "View an Agent"): the name is on the agent's contact.</summary>
    private static IResponseMessage ViewAgent(long id) => id == AgentId
        ? WireMockLoopback.Json(new JsonObject { ["id"] = id, ["available"] = true, ["occasional"] = false, ["contact"] = new JsonObject { ["name"] = AgentName, ["email"] = "agent@example.com", ["active"] = true } })
        : WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied", ["message"] = "not found" }, 404);

    /// <summary>The name View an Agent gives <see cref="AgentId"/>.</summary>
    public const string AgentName = "Fran Freshdesk";

    private IResponseMessage ViewContact(long id)
    {
        if (id != CustomerId)
            return WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied", ["message"] = "not found" }, 404);
        var c = JsonNode.Parse(Fixtures.Text("freshdesk/contact.json"))!;
        c["id"] = id;
        c["name"] = "Casey Customer";
        c["company_id"] = Customer.OrganizationId;
        c["other_companies"] = new JsonArray();
        c["tags"] = new JsonArray(Customer.Tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        c["custom_fields"] = FakeZendesk.FieldsOf(Customer.Fields);
        return WireMockLoopback.Json(c);
    }

    private IResponseMessage ViewCompany(long id)
    {
        if (!Companies.TryGetValue(id, out var company))
            return WireMockLoopback.Json(new JsonObject { ["code"] = "access_denied", ["message"] = "not found" }, 404);
        var c = JsonNode.Parse(Fixtures.Text("freshdesk/company.json"))!;
        c["id"] = id;
        c["account_tier"] = company.AccountTier;
        c["custom_fields"] = FakeZendesk.FieldsOf(company.Fields);
        return WireMockLoopback.Json(c);
    }

    public IReadOnlyList<RecordedRequest> CustomerReads() =>
        Requests.Where(r => r.Method == "GET" && (r.PathAndQuery.StartsWith("/api/v2/contacts/", StringComparison.Ordinal)
            || r.PathAndQuery.StartsWith("/api/v2/companies/", StringComparison.Ordinal))).ToList();
}
