using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions.Tagging;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace HelpdeskSidecar.Tests.Access;

/// <summary>Who gets in over real HTTP: anonymous callers, each role's token, revoked tokens, console cookies.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class AccessEndpointTests(string provider)
{
    private SidecarTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_host is not null)
            await _host.DisposeAsync();
    }

    [TestCase("/api/suggestions")]
    [TestCase("/api/suggestions/some-id")]
    [TestCase("/api/tagging")]
    [TestCase("/api/tagging/audit")]
    [TestCase("/api/reports/acceptance")]
    [TestCase("/api/policy")]
    public async Task Api_Anonymous_Is401Problem(string path)
    {
        using var response = await _host.AnonymousClient.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task Api_AnonymousWrite_Is401_AndChangesNothing()
    {
        using var response = await _host.AnonymousClient.PutAsJsonAsync("/api/tagging/tags/billing", new { mode = "auto", threshold = 0.5 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await _host.Service<TaggingStore>().ListAsync(CancellationToken.None), Has.None.Matches<TagRule>(r => r.Name == "billing"));
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    [TestCase("/openapi/v1.json")]
    public async Task OpenRoutes_Anonymous_StayOpen(string path)
    {
        using var response = await _host.AnonymousClient.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Webhook_Anonymous_KeepsItsOwnCheck()
    {
        using var request = SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-access-1", 4242));
        using var response = await _host.AnonymousClient.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Console_Anonymous_RedirectsToLogin()
    {
        using var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.Client.GetAsync("/console/reports");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Does.Contain("/console/login").And.Contain("ReturnUrl=%2Fconsole%2Freports"));
    }

    [TestCase("Agent", "/api/reports/acceptance")]
    [TestCase("Agent", "/api/tagging")]
    [TestCase("Agent", "/api/policy")]
    [TestCase("OpsLead", "/api/reports/acceptance")]
    public async Task Api_WrongRole_Is403Problem(string roleName, string path)
    {
        var role = Enum.Parse<Role>(roleName);
        using var client = _host.ClientWithToken(await _host.CreateTokenAsync(role));
        using var response = await client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(role.ToString()));
    }

    [TestCase("Agent")]
    [TestCase("Manager")]
    public async Task Api_TaggingChange_NotOpsLead_Is403_AndChangesNothing(string roleName)
    {
        var role = Enum.Parse<Role>(roleName);
        using var client = _host.ClientWithToken(await _host.CreateTokenAsync(role));
        using var response = await client.PutAsJsonAsync($"/api/tagging/tags/forbidden-{role}", new { mode = "auto", threshold = 0.5 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await _host.Service<TaggingStore>().ListAsync(CancellationToken.None), Has.None.Matches<TagRule>(r => r.Name == $"forbidden-{role}"));
    }

    [TestCase("Agent", "/api/suggestions")]
    [TestCase("Manager", "/api/reports/acceptance")]
    [TestCase("Manager", "/api/tagging")]
    [TestCase("OpsLead", "/api/policy")]
    [TestCase("Admin", "/api/reports/acceptance")]
    public async Task Api_BearerWithRole_Is200(string roleName, string path)
    {
        var role = Enum.Parse<Role>(roleName);
        using var client = _host.ClientWithToken(await _host.CreateTokenAsync(role));
        using var response = await client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Api_OpsLeadToken_ChangesTagging_AuditNamesTheToken()
    {
        using var client = _host.ClientWithToken(await _host.CreateTokenAsync(Role.OpsLead, "ops-bot"));
        using var response = await client.PutAsJsonAsync("/api/tagging/tags/refund", new { mode = "auto", threshold = 0.7 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var audit = await _host.Service<TaggingStore>().AuditAsync(100, CancellationToken.None);
        Assert.That(audit.First(a => a.Name == "refund").Who, Is.EqualTo("ops-bot"));
    }

    [Test]
    public async Task Api_RevokedToken_Is401()
    {
        var (token, secret) = await _host.Service<TokenStore>().CreateAsync(Role.Admin, "to-revoke", CancellationToken.None);
        using var client = _host.ClientWithToken(secret);
        using (var before = await client.GetAsync("/api/suggestions"))
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await _host.Service<TokenStore>().RevokeAsync(token.Id, CancellationToken.None), Is.True);

        using var after = await client.GetAsync("/api/suggestions");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(after.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
    }

    [TestCase("hs_not-a-real-token")]
    [TestCase("garbage")]
    public async Task Api_UnknownToken_Is401(string token)
    {
        using var client = _host.ClientWithToken(token);
        using var response = await client.GetAsync("/api/suggestions");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Token_IsStoredOnlyAsItsHash()
    {
        var (token, secret) = await _host.Service<TokenStore>().CreateAsync(Role.Agent, null, CancellationToken.None);
        var stored = await Dapper.SqlMapper.QuerySingleAsync<string>(
            await _host.Service<HelpdeskSidecar.Storage.Database>().OpenAsync(), "SELECT hash FROM api_tokens WHERE id = @Id", new { token.Id });
        Assert.Multiple(() =>
        {
            Assert.That(secret, Does.StartWith("hs_").And.Length.GreaterThanOrEqualTo(43));
            Assert.That(stored, Does.Not.Contain(secret[3..]));
            Assert.That(stored, Has.Length.EqualTo(64));
            Assert.That(token.Name, Is.EqualTo($"token-{token.Id}"));
        });
    }

    [Test]
    public async Task Console_CookieSignIn_OpensConsoleAndReadsApi_ButApiWritesNeedAToken()
    {
        await _host.Service<UserStore>().UpsertAsync("maria", Role.OpsLead, "maria-password", CancellationToken.None);
        using var session = new ConsoleSession(_host.BaseAddress);

        using var signIn = await session.SignInAsync("maria", "maria-password");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(signIn.Headers.Location?.ToString(), Is.EqualTo("/console"));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccessExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.That(cookie.ToLowerInvariant(), Does.Contain("httponly").And.Contain("samesite=strict"));

        var (overview, page) = await session.GetPageAsync("/console");
        Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.GetElementById("signed-in-user")?.TextContent, Does.Contain("maria").And.Contain("OpsLead"));

        using var read = await session.Client.GetAsync("/api/tagging");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var write = await session.Client.PutAsJsonAsync("/api/tagging/tags/cookie-write", new { mode = "auto", threshold = 0.5 });
        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Console_WrongPassword_Is401WithMessage_AndNoSession()
    {
        await _host.Service<UserStore>().UpsertAsync("olga", Role.Manager, "olga-password", CancellationToken.None);
        using var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.SignInAsync("olga", "not-her-password");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var page = await ConsoleSession.ParseAsync(response);
        Assert.That(page.GetElementById("login-error")?.TextContent, Does.Contain("Wrong name or password"));
        using var console = await session.Client.GetAsync("/console");
        Assert.That(console.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Console_WrongRole_IsSentToDeniedPage()
    {
        await _host.Service<UserStore>().UpsertAsync("arno", Role.Agent, "arno-password", CancellationToken.None);
        using var session = new ConsoleSession(_host.BaseAddress);
        using (await session.SignInAsync("arno", "arno-password")) { }
        using var reports = await session.Client.GetAsync("/console/reports");
        Assert.That(reports.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(reports.Headers.Location?.AbsolutePath ?? reports.Headers.Location?.ToString(), Does.Contain("/console/denied"));
        var (denied, page) = await session.GetPageAsync(reports.Headers.Location!.ToString());
        Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(page.GetElementById("nav-reports"), Is.Null, "an agent's navigation has no Reports link");
    }

    [Test]
    public async Task Console_FormPostWithoutAntiforgeryToken_Is400_AndChangesNothing()
    {
        await _host.Service<UserStore>().UpsertAsync("ines", Role.Admin, "ines-password", CancellationToken.None);
        using var session = new ConsoleSession(_host.BaseAddress);
        using (await session.SignInAsync("ines", "ines-password")) { }

        using var response = await session.Client.PostAsync("/console/tagging", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["scope"] = "tag", ["name"] = "csrf-tag", ["mode"] = "auto", ["threshold"] = "0.5",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.Service<TaggingStore>().ListAsync(CancellationToken.None), Has.None.Matches<TagRule>(r => r.Name == "csrf-tag"));
    }

    [Test]
    public async Task Console_SignOut_EndsTheSession()
    {
        await _host.Service<UserStore>().UpsertAsync("sven", Role.Manager, "sven-password", CancellationToken.None);
        using var session = new ConsoleSession(_host.BaseAddress);
        using (await session.SignInAsync("sven", "sven-password")) { }
        using var signOut = await session.SubmitAsync("/console", "form[action='/console/logout']", new Dictionary<string, string>());
        Assert.That(signOut.Headers.Location?.ToString(), Is.EqualTo("/console/login"));
        using var after = await session.Client.GetAsync("/console");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }
}

/// <summary>The login form's rate limit, on a host of its own so other tests' sign-ins do not count.</summary>
public class LoginRateLimitTests
{
    [Test]
    public async Task SignIn_MoreAttemptsThanAllowed_Is429WithReadablePage()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:LoginAttempts=3", "Sidecar:Access:LoginWindow=00:10:00"]);
        using var session = new ConsoleSession(host.BaseAddress);
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await session.SignInAsync("nobody", "wrong-password");
            Assert.That(attempt.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {i + 1}");
        }

        using var limited = await session.SignInAsync("nobody", "wrong-password");

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        var page = await ConsoleSession.ParseAsync(limited);
        Assert.That(page.GetElementById("rate-limited")?.TextContent, Does.Contain("Too many sign-in attempts"));
        using var loginPage = await session.Client.GetAsync("/console/login");
        Assert.That(loginPage.StatusCode, Is.EqualTo(HttpStatusCode.OK), "showing the form is not limited");
    }
}

/// <summary>Only failed sign-ins count, per user name and per client; the client is behind a known proxy only when configured.</summary>
public class LoginFailureLimitTests
{
    private static Task<ConsoleSession> ClientAsync(SidecarTestHost host, string? forwardedFor)
    {
        var session = new ConsoleSession(host.BaseAddress);
        if (forwardedFor is not null)
            session.Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return Task.FromResult(session);
    }

    private static async Task<HttpStatusCode> SignInAsync(ConsoleSession session, string name, string password)
    {
        using var response = await session.SignInAsync(name, password);
        return response.StatusCode;
    }

    [Test]
    public async Task SignIn_SevenGoodSignInsInARow_NoneLimited()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:LoginAttempts=3", "Sidecar:Access:LoginWindow=00:10:00"]);
        await host.Service<UserStore>().UpsertAsync("gina", Role.Agent, "gina-password", CancellationToken.None);

        for (var i = 0; i < 7; i++)
        {
            using var session = await ClientAsync(host, null);
            Assert.That(await SignInAsync(session, "gina", "gina-password"), Is.EqualTo(HttpStatusCode.Redirect), $"sign-in {i + 1}");
        }
    }

    [Test]
    public async Task SignIn_BehindKnownProxy_FailuresCountPerForwardedClientAndPerName()
    {
        await using var host = await SidecarTestHost.StartAsync(
            ["Sidecar:Access:LoginAttempts=3", "Sidecar:Access:LoginWindow=00:10:00", "Sidecar:Access:KnownProxies:0=127.0.0.1"]);
        await host.Service<UserStore>().UpsertAsync("alice", Role.Agent, "alice-password", CancellationToken.None);
        await host.Service<UserStore>().UpsertAsync("bob", Role.Agent, "bob-password", CancellationToken.None);
        using var attacker = await ClientAsync(host, "203.0.113.1");
        for (var i = 0; i < 3; i++)
            Assert.That(await SignInAsync(attacker, "alice", "wrong-password"), Is.EqualTo(HttpStatusCode.Unauthorized));

        using var colleague = await ClientAsync(host, "203.0.113.2");
        Assert.That(await SignInAsync(colleague, "bob", "bob-password"), Is.EqualTo(HttpStatusCode.Redirect), "another client behind the same proxy is not limited");
        using var other = await ClientAsync(host, "203.0.113.3");
        Assert.That(await SignInAsync(other, "ALICE", "alice-password"), Is.EqualTo(HttpStatusCode.TooManyRequests), "the name's failures count from any client");
        Assert.That(await SignInAsync(attacker, "bob", "bob-password"), Is.EqualTo(HttpStatusCode.TooManyRequests), "the client's failures count for any name");
    }

    [Test]
    public async Task SignIn_ForwardedForFromAnUnknownProxy_Ignored()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:LoginAttempts=3", "Sidecar:Access:LoginWindow=00:10:00"]);
        for (var i = 0; i < 3; i++)
        {
            using var forged = await ClientAsync(host, $"198.51.100.{i + 1}");
            Assert.That(await SignInAsync(forged, $"user{i}", "wrong-password"), Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var next = await ClientAsync(host, "198.51.100.9");
        Assert.That(await SignInAsync(next, "user9", "wrong-password"), Is.EqualTo(HttpStatusCode.TooManyRequests), "a made-up X-Forwarded-For does not reset the count");
    }

    [Test]
    public async Task Start_KnownProxiesNotAnAddress_FailsNamingTheKey()
    {
        var e = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:KnownProxies:0=proxy.example"]);
        });
        Assert.That(e!.Message, Does.Contain("Sidecar:Access:KnownProxies"));
    }
}

/// <summary>An /api endpoint added without RequireAuthorization (say, by a later feature) is still closed to strangers.</summary>
public class UnguardedEndpointTests
{
    [Test]
    public async Task ApiEndpointWithoutAuthorization_Anonymous401_SignedIn200()
    {
        await using var host = await SidecarTestHost.StartAsync(map: app => app.MapGet("/api/unguarded", () => "hello"));

        using var anonymous = await host.AnonymousClient.GetAsync("/api/unguarded");
        using var agent = host.ClientWithToken(await host.CreateTokenAsync(Role.Agent));
        using var signedIn = await agent.GetAsync("/api/unguarded");

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
