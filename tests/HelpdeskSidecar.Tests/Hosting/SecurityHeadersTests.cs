using System.Net;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Hosting;

/// <summary>
/// The headers on the signed feedback pages and on <c>/api</c>, and what a TLS-terminating proxy's
/// <c>X-Forwarded-Proto</c> changes, over real HTTP.
/// </summary>
public class SecurityHeadersTests
{
    private const string Csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : null;

    private static async Task<string> DraftAsync(SidecarTestHost host)
    {
        var at = TimeProvider.System.GetUtcNow();
        var id = Guid.CreateVersion7(at).ToString("N");
        await host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = "t1", TriggerKey = "c1", CreatedAt = at, Kind = SuggestionKind.Draft, Mode = "Shadow",
            Draft = "Refunds take 5 days.", Note = "note", Status = SuggestionStatus.Shadow,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        return id;
    }

    [Test]
    public async Task FeedbackLink_PageAndEveryAnswer_StrictCspNoSniffNoStoreNoReferrer()
    {
        await using var host = await SidecarTestHost.StartAsync();
        var token = host.Service<FeedbackLinks>().Token(await DraftAsync(host), FeedbackLinks.Accept, TimeProvider.System.GetUtcNow().AddDays(1));

        using var page = await host.AnonymousClient.GetAsync($"/feedback/{token}");
        using var used = await host.AnonymousClient.PostAsync($"/feedback/{token}", null);
        using var again = await host.AnonymousClient.PostAsync($"/feedback/{token}", null);
        using var malformed = await host.AnonymousClient.GetAsync("/feedback/not-a-token");

        Assert.That((page.StatusCode, used.StatusCode, again.StatusCode, malformed.StatusCode),
            Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest)));
        foreach (var response in new[] { page, used, again, malformed })
        {
            Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo(Csp), response.StatusCode.ToString());
            Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(Header(response, "Cache-Control"), Is.EqualTo("no-store"));
            Assert.That(Header(response, "Referrer-Policy"), Is.EqualTo("no-referrer"));
        }
    }

    [TestCase("/api/suggestions?ticket=t1", true, HttpStatusCode.OK)]
    [TestCase("/api/reports/acceptance?format=csv", true, HttpStatusCode.OK)]
    [TestCase("/api/suggestions?ticket=t1", false, HttpStatusCode.Unauthorized)]
    [TestCase("/api/suggestions/nope", true, HttpStatusCode.NotFound)]
    public async Task Api_EveryAnswer_NoSniffNoStore(string path, bool withToken, HttpStatusCode status)
    {
        await using var host = await SidecarTestHost.StartAsync();

        using var response = await (withToken ? host.Client : host.AnonymousClient).GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
        Assert.That(Header(response, "Cache-Control"), Is.EqualTo("no-store"));
    }

    /// <summary>Signs in as a browser behind a proxy would, headers given by the proxy; returns the sign-in response.</summary>
    private static async Task<HttpResponseMessage> SignInThroughProxyAsync(SidecarTestHost host, string? forwardedProto)
    {
        await host.Service<UserStore>().UpsertAsync("ada", Role.Admin, "ada-password", CancellationToken.None);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        HttpRequestMessage Request(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Host = "sidecar.example.com";
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            if (forwardedProto is not null)
                request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            return request;
        }

        using var form = await client.SendAsync(Request(HttpMethod.Get, "/console/login"));
        var cookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var page = await ConsoleSession.ParseAsync(form);
        var fields = page.QuerySelectorAll("#login-form input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value")!);
        fields["username"] = "ada";
        fields["password"] = "ada-password";
        var post = Request(HttpMethod.Post, "/console/login");
        post.Headers.Add("Cookie", cookie);
        post.Content = new FormUrlEncodedContent(fields);
        var signedIn = await client.SendAsync(post);
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed in");
        return signedIn;
    }

    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccessExtensions.CookieName + "=", StringComparison.Ordinal));

    [Test]
    public async Task BehindAKnownProxy_ForwardedHttps_SessionCookieSecure_AndHsts()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:KnownProxies:0=127.0.0.1"]);

        using var signedIn = await SignInThroughProxyAsync(host, "https");

        Assert.That(SessionCookie(signedIn), Does.Contain("secure").IgnoreCase);
        Assert.That(Header(signedIn, "Strict-Transport-Security"), Is.EqualTo("max-age=31536000"));
    }

    [Test]
    public async Task BehindAKnownProxy_ForwardedHttp_NoSecureCookie_NoHsts()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:KnownProxies:0=127.0.0.1"]);

        using var signedIn = await SignInThroughProxyAsync(host, "http");

        Assert.That(SessionCookie(signedIn), Does.Not.Contain("secure").IgnoreCase);
        Assert.That(Header(signedIn, "Strict-Transport-Security"), Is.Null);
    }

    [TestCase(null)]
    [TestCase("10.0.0.5")]
    public async Task ForwardedHttpsFromAnUnknownClient_Ignored(string? proxy)
    {
        await using var host = await SidecarTestHost.StartAsync(proxy is null ? [] : [$"Sidecar:Access:KnownProxies:0={proxy}"]);

        using var signedIn = await SignInThroughProxyAsync(host, "https");

        Assert.That(SessionCookie(signedIn), Does.Not.Contain("secure").IgnoreCase, "anyone could claim https");
        Assert.That(Header(signedIn, "Strict-Transport-Security"), Is.Null);
    }
}
