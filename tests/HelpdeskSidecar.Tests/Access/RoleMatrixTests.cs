using System.Net;
using System.Net.Http.Headers;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Access;

/// <summary>
/// One role matrix for the console and the API (README "Sign-in, roles and the console"): every console page and API
/// route × role × credential (console cookie, bearer token, none), and the page sections that show report figures.
/// The expectations are written out here from the README's table, not read from the code under test.
/// </summary>
public class RoleMatrixTests
{
    private static readonly Role[] Everyone = [Role.Agent, Role.OpsLead, Role.Manager, Role.Admin];
    private static readonly Role[] Oversight = [Role.OpsLead, Role.Manager, Role.Admin];
    private static readonly Role[] Operations = [Role.OpsLead, Role.Admin];
    private static readonly Role[] Reports = [Role.Manager, Role.Admin];
    private static readonly Role[] Admin = [Role.Admin];

    /// <summary>Each guarded route (method, pattern as mapped), the path a test requests, and the roles the README lets in.</summary>
    private static readonly (string Method, string Pattern, string Path, Role[] Roles)[] Routes =
    [
        ("GET", "/api/suggestions/", "/api/suggestions", Everyone),
        ("GET", "/api/suggestions/{id}", "/api/suggestions/no-such-id", Everyone),
        ("POST", "/api/suggestions/{id}/feedback", "/api/suggestions/no-such-id/feedback", Everyone),
        ("GET", "/api/suggestions/latest", "/api/suggestions/latest?helpdesk=zendesk&ticket=matrix", Everyone),
        ("POST", "/api/suggestions/{id}/inserted", "/api/suggestions/no-such-id/inserted", Everyone),
        ("GET", "/api/tagging/", "/api/tagging", Oversight),
        ("GET", "/api/tagging/audit", "/api/tagging/audit", Oversight),
        ("PUT", "/api/tagging/tags/{tag}", "/api/tagging/tags/matrix", Operations),
        ("PUT", "/api/tagging/intents/{intent}", "/api/tagging/intents/matrix", Operations),
        ("GET", "/api/policy/", "/api/policy", Oversight),
        ("PUT", "/api/policy/", "/api/policy", Operations),
        ("GET", "/api/settings/", "/api/settings", Oversight),
        ("GET", "/api/settings/audit", "/api/settings/audit", Oversight),
        ("PUT", "/api/settings/modes/brands/{brand}", "/api/settings/modes/brands/matrix", Operations),
        ("PUT", "/api/settings/modes/intents/{intent}", "/api/settings/modes/intents/matrix", Operations),
        ("GET", "/api/reports/acceptance", "/api/reports/acceptance", Reports),
        ("GET", "/api/reports/gaps", "/api/reports/gaps", Reports),
        ("GET", "/api/reports/usage", "/api/reports/usage", Reports),
        ("GET", "/api/reports/overview", "/api/reports/overview", Reports),
        ("GET", "/api/reports/tags", "/api/reports/tags", Oversight),
        ("GET", "/api/reports/themes", "/api/reports/themes", Oversight), // ops leads: the rising themes only (Reports/Themes)
        ("GET", "/console/", "/console", Everyone),
        ("GET", "/console/suggestions", "/console/suggestions", Everyone),
        ("GET", "/console/suggestions/{id}", "/console/suggestions/no-such-id", Everyone),
        ("POST", "/console/suggestions/{id}/verdict", "/console/suggestions/no-such-id/verdict", Everyone),
        ("GET", "/console/tagging", "/console/tagging", Oversight),
        ("POST", "/console/tagging", "/console/tagging", Operations),
        ("GET", "/console/policy", "/console/policy", Oversight),
        ("POST", "/console/policy/modes", "/console/policy/modes", Operations),
        ("POST", "/console/policy/file", "/console/policy/file", Operations),
        ("GET", "/console/knowledge", "/console/knowledge", Oversight),
        ("GET", "/console/knowledge/sync", "/console/knowledge/sync", Oversight),
        ("POST", "/console/knowledge/sync", "/console/knowledge/sync", Operations),
        ("GET", "/console/knowledge/articles", "/console/knowledge/articles", Oversight),
        ("GET", "/console/knowledge/articles/{id}", "/console/knowledge/articles/999999", Oversight),
        ("GET", "/console/knowledge/try", "/console/knowledge/try", Oversight),
        ("POST", "/console/knowledge/try", "/console/knowledge/try", Oversight),
        ("GET", "/api/knowledge/articles", "/api/knowledge/articles", Oversight),
        ("GET", "/api/knowledge/articles/{id}", "/api/knowledge/articles/999999", Oversight),
        ("GET", "/console/reports", "/console/reports", Reports),
        ("GET", "/console/themes", "/console/themes", Oversight),
        ("GET", "/console/access", "/console/access", Admin),
        ("POST", "/console/access/users", "/console/access/users", Admin),
        ("POST", "/console/access/users/{action}", "/console/access/users/disable", Admin),
        ("POST", "/console/access/tokens", "/console/access/tokens", Admin),
        ("POST", "/console/access/tokens/{id:long}/revoke", "/console/access/tokens/999999/revoke", Admin),
        ("GET", "/api/health/ops/", "/api/health/ops", Oversight),
        ("POST", "/api/health/ops/write-backs/{id}/retry", "/api/health/ops/write-backs/no-such-id/retry", Operations),
        ("GET", "/console/health", "/console/health", Oversight),
        ("POST", "/console/health/write-backs/{id}/retry", "/console/health/write-backs/no-such-id/retry", Operations),
        ("GET", "/api/reports/resolution", "/api/reports/resolution", Reports),
        ("GET", "/console/resolution", "/console/resolution", Reports),
        ("GET", "/api/routing/", "/api/routing", Oversight),
        ("GET", "/api/routing/audit", "/api/routing/audit", Oversight),
        ("PUT", "/api/routing/rules/{rule}", "/api/routing/rules/matrix", Operations),
        ("GET", "/api/reports/routes", "/api/reports/routes", Oversight),
        ("GET", "/console/routing", "/console/routing", Oversight),
        ("POST", "/console/routing", "/console/routing", Operations),
        // Knowledge authoring (issue 19): ops leads and managers read proposals, ops leads review and publish them.
        ("GET", "/api/knowledge/proposals/", "/api/knowledge/proposals", Oversight),
        ("GET", "/api/knowledge/proposals/{id}", "/api/knowledge/proposals/no-such-id", Oversight),
        ("PUT", "/api/knowledge/proposals/{id}", "/api/knowledge/proposals/no-such-id", Operations),
        ("POST", "/api/knowledge/proposals/{id}/approve", "/api/knowledge/proposals/no-such-id/approve", Operations),
        ("POST", "/api/knowledge/proposals/{id}/reject", "/api/knowledge/proposals/no-such-id/reject", Operations),
        ("POST", "/api/knowledge/proposals/{id}/publish", "/api/knowledge/proposals/no-such-id/publish", Operations),
        ("GET", "/console/knowledge/proposals", "/console/knowledge/proposals", Oversight),
        ("GET", "/console/knowledge/proposals/{id}", "/console/knowledge/proposals/no-such-id", Oversight),
        ("POST", "/console/knowledge/proposals/{id}", "/console/knowledge/proposals/no-such-id", Operations),
    ];

    /// <summary>Console routes open to anyone by design (sign-in, sign-out, the denied page, the stylesheet and script).</summary>
    private static readonly string[] OpenConsoleRoutes = ["/console/login", "/console/logout", "/console/denied", "/console/assets/{file}"];

    /// <summary>Sections of a page (element id) that only some roles may see, with the API that holds the same data.</summary>
    private static readonly (string Page, string ElementId, Role[] Roles)[] Sections =
    [
        ("/console", "overview-cards", Reports),          // acceptance, gaps, latency, cost: /api/reports/overview
        ("/console", "acceptance-breakdown", Reports),    // /api/reports/acceptance
        ("/console", "overview-tiles", Reports),          // last 7 days vs the 7 before: /api/reports/overview
        ("/console/knowledge", "kb-gaps", Reports),       // gap examples: /api/reports/gaps
        ("/console/knowledge", "sync-form", Operations),  // sync now
        ("/console", "nav-reports", Reports),
        ("/console", "nav-tagging", Oversight),
        ("/console", "nav-access", Admin),
        ("/console", "nav-health", Oversight),
        ("/console", "nav-routing", Oversight),
        ("/console/themes", "themes-overview", Reports),  // every theme's share and the CSV: managers; ops leads see rising ones
        ("/console", "nav-themes", Oversight),
    ];

    public enum Credential { Cookie, Bearer }

    private SidecarTestHost _host = null!;
    private readonly Dictionary<Role, ConsoleSession> _sessions = [];
    private readonly Dictionary<Role, HttpClient> _tokens = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SidecarTestHost.StartAsync();
        foreach (var role in Everyone)
        {
            var name = "matrix-" + role.ToString().ToLowerInvariant();
            await _host.Service<UserStore>().UpsertAsync(name, role, name + "-password", CancellationToken.None);
            var session = new ConsoleSession(_host.BaseAddress);
            using (var signIn = await session.SignInAsync(name, name + "-password"))
                Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            _sessions[role] = session;
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _host.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _host.CreateTokenAsync(role, name));
            _tokens[role] = client;
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var client in _sessions.Values)
            client.Dispose();
        foreach (var client in _tokens.Values)
            client.Dispose();
        await _host.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from route in Routes
        from role in Everyone
        from credential in Enum.GetValues<Credential>()
        select new TestCaseData(route.Method, route.Path, role.ToString(), credential).SetName($"{route.Method} {route.Path} as {role} with {credential}");

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        // Never valid enough to change anything; the policy takes YAML (another type is a 415 before the role is looked at).
        if (method != "GET")
            request.Content = path == "/api/policy"
                ? new StringContent("rules: [", System.Text.Encoding.UTF8, "application/yaml")
                : new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Route_RoleAndCredential_GetsWhatTheMatrixSays(string method, string path, string roleName, Credential credential)
    {
        var role = Enum.Parse<Role>(roleName);
        var allowed = Routes.Single(r => r.Method == method && r.Path == path).Roles.Contains(role);
        var client = credential == Credential.Cookie ? _sessions[role].Client : _tokens[role];
        using var request = Request(method, path);
        using var response = await client.SendAsync(request);
        var status = response.StatusCode;
        var location = response.Headers.Location?.ToString() ?? "";
        var what = $"{status} {location}";

        if (path.StartsWith("/api", StringComparison.Ordinal))
        {
            if (credential == Credential.Cookie && method != "GET")
                Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), "the console cookie never writes to /api");
            else if (allowed)
                Assert.That(status, Is.Not.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Redirect), what);
            else
                Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden), what);
        }
        else if (credential == Credential.Bearer)
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Redirect), "a bearer token is not a console sign-in: " + what);
            Assert.That(location, Does.Contain("/console/login"));
        }
        else if (allowed)
        {
            // A GET shows the page (404 for an unknown id); a POST without the form's antiforgery token is refused as 400.
            Assert.That(status, method == "GET" ? Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.NotFound) : Is.EqualTo(HttpStatusCode.BadRequest), what);
        }
        else
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Redirect), what);
            Assert.That(location, Does.Contain("/console/denied"));
        }
    }

    [TestCaseSource(nameof(Anonymous))]
    public async Task Route_Anonymous_IsRefused(string method, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        using var request = Request(method, path);
        using var response = await client.SendAsync(request);
        if (path.StartsWith("/api", StringComparison.Ordinal))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        else
            Assert.That(response.Headers.Location?.ToString(), Does.Contain("/console/login"), response.StatusCode.ToString());
    }

    public static IEnumerable<TestCaseData> Anonymous() =>
        Routes.Select(r => new TestCaseData(r.Method, r.Path).SetName($"{r.Method} {r.Path} anonymous"));

    public static IEnumerable<TestCaseData> SectionCases() =>
        from section in Sections
        from role in Everyone
        select new TestCaseData(section.Page, section.ElementId, role.ToString()).SetName($"{section.Page} #{section.ElementId} as {role}");

    [TestCaseSource(nameof(SectionCases))]
    public async Task PageSection_ShownOnlyToTheRolesTheMatrixAllows(string page, string elementId, string roleName)
    {
        var role = Enum.Parse<Role>(roleName);
        var allowed = Sections.Single(s => s.Page == page && s.ElementId == elementId).Roles.Contains(role);
        var (response, document) = await _sessions[role].GetPageAsync(page);
        using (response)
        {
            if (!Routes.Single(r => r.Method == "GET" && r.Path == page).Roles.Contains(role))
            {
                Assert.That(response.Headers.Location?.ToString(), Does.Contain("/console/denied"), "the whole page is refused");
                return;
            }
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(document.GetElementById(elementId) is not null, Is.EqualTo(allowed), $"#{elementId} on {page} for {role}");
        }
    }

    [Test]
    public void Table_CoversEveryGuardedConsoleAndApiRoute()
    {
        var mapped = _host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && (p.StartsWith("/api", StringComparison.Ordinal) || p.StartsWith("/console", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Where(r => !OpenConsoleRoutes.Contains(r.Pattern))
            .ToHashSet();
        var table = Routes.Select(r => (r.Method, r.Pattern)).ToHashSet();

        Assert.That(mapped.Except(table), Is.Empty, "a route the matrix does not name");
        Assert.That(table.Except(mapped), Is.Empty, "a route the matrix names that is not mapped");
    }
}
