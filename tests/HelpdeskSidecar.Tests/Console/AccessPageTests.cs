using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.WebConsole;

/// <summary><c>/console/access</c>: an admin adds users and creates and revokes tokens from the console.</summary>
public class AccessPageTests
{
    private SidecarScenario _scenario = null!;
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scenario = await SidecarScenario.Create().WithUser("root", Role.Admin, "root-password").WithUser("mona", Role.Manager, "mona-password").StartAsync();
        _host = _scenario.Host;
    }

    [TearDown]
    public async Task StopAsync() => await _scenario.DisposeAsync();

    private async Task<ConsoleSession> SignInAsync(string name)
    {
        var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.SignInAsync(name, name + "-password");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return session;
    }

    [Test]
    public async Task Admin_CreatesToken_ShownOnce_ItWorks_ThenRevokesIt()
    {
        using var admin = await SignInAsync("root");

        using var created = await admin.SubmitAsync("/console/access", "#new-token", new Dictionary<string, string> { ["name"] = "exporter", ["role"] = "Manager" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (_, page) = await admin.GetPageAsync(created.Headers.Location!.ToString());
        var secret = page.GetElementById("new-token-secret")!.TextContent;
        using var client = _host.ClientWithToken(secret);
        using (var ok = await client.GetAsync("/api/reports/acceptance"))
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var (_, list) = await admin.GetPageAsync("/console/access");
        Assert.That(list.Body!.TextContent, Does.Not.Contain(secret), "the secret is not shown again");
        var token = (await _host.Service<TokenStore>().ListAsync(CancellationToken.None)).Single(t => t.Name == "exporter");
        using var revoked = await admin.SubmitAsync("/console/access", $"#revoke-{token.Id}", new Dictionary<string, string>());
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var refused = await client.GetAsync("/api/reports/acceptance");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task CreateToken_ReloadAfterwards_CreatesNoSecondTokenAndHidesTheSecret()
    {
        using var admin = await SignInAsync("root");
        using var created = await admin.SubmitAsync("/console/access", "#new-token", new Dictionary<string, string> { ["name"] = "once", ["role"] = "Agent" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "post/redirect/get");
        var location = created.Headers.Location!.ToString();
        Assert.That(location, Does.StartWith("/console/access"));

        var (_, first) = await admin.GetPageAsync(location);
        var secret = first.GetElementById("new-token-secret")?.TextContent;
        Assert.That(secret, Does.StartWith("hs_"), "the secret is shown once, after the redirect");
        Assert.That(location, Does.Not.Contain(secret!), "never in a URL");
        var (reload, again) = await admin.GetPageAsync(location);

        Assert.That(reload.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.GetElementById("new-token-secret"), Is.Null);
        Assert.That(again.Body!.TextContent, Does.Not.Contain(secret!), "a reload does not show the secret again");
        Assert.That((await _host.Service<TokenStore>().ListAsync(CancellationToken.None)).Count(t => t.Name == "once"), Is.EqualTo(1), "nor create another token");
    }

    [Test]
    public async Task CreateToken_NoticeCookieReplayedByAnotherAdmin_ShowsNothing()
    {
        await _host.Service<UserStore>().UpsertAsync("other", Role.Admin, "other-password", CancellationToken.None);
        using var admin = await SignInAsync("root");
        using var created = await admin.SubmitAsync("/console/access", "#new-token", new Dictionary<string, string> { ["role"] = "Agent" });
        var notice = admin.Cookies.GetCookies(new Uri(_host.BaseAddress, "/console/access"))[HelpdeskSidecar.WebConsole.NewTokenNotice.CookieName]!;
        using var other = await SignInAsync("other");
        other.Cookies.Add(new Uri(_host.BaseAddress, "/console/access"), new Cookie(notice.Name, notice.Value, "/console/access"));

        var (_, page) = await other.GetPageAsync("/console/access");

        Assert.That(page.GetElementById("new-token-secret"), Is.Null);
    }

    [Test]
    public async Task Admin_AddsUser_WhoCanSignIn_ShortPasswordRefused()
    {
        using var admin = await SignInAsync("root");

        using var shortPassword = await admin.SubmitAsync("/console/access", "#new-user",
            new Dictionary<string, string> { ["name"] = "newbie", ["role"] = "Agent", ["password"] = "short" });
        Assert.That(shortPassword.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.Service<UserStore>().FindAsync("newbie", CancellationToken.None), Is.Null);

        using var added = await admin.SubmitAsync("/console/access", "#new-user",
            new Dictionary<string, string> { ["name"] = "newbie", ["role"] = "Agent", ["password"] = "newbie-password" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var newbie = await SignInAsync("newbie");
        var (_, page) = await newbie.GetPageAsync("/console");
        Assert.That(page.GetElementById("signed-in-user")!.TextContent, Does.Contain("newbie (Agent)"));
    }

    private static async Task<HttpStatusCode> StatusOfConsoleAsync(ConsoleSession session)
    {
        using var response = await session.Client.GetAsync("/console");
        return response.StatusCode;
    }

    [Test]
    public async Task Admin_DisablesUser_SessionEndsAtOnce_CannotSignIn_ThenEnables()
    {
        using var admin = await SignInAsync("root");
        using var mona = await SignInAsync("mona");
        Assert.That(await StatusOfConsoleAsync(mona), Is.EqualTo(HttpStatusCode.OK));
        var (_, page) = await admin.GetPageAsync("/console/access");
        var row = page.QuerySelector("#users-table tr[data-user='mona']")!;
        var disableForm = row.QuerySelector("form[action='/console/access/users/disable']")!.Id!;

        using var disabled = await admin.SubmitAsync("/console/access", "#" + disableForm, new Dictionary<string, string>());

        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await StatusOfConsoleAsync(mona), Is.EqualTo(HttpStatusCode.Redirect), "her open session ends on its next request");
        using (var again = new ConsoleSession(_host.BaseAddress))
        using (var refused = await again.SignInAsync("mona", "mona-password"))
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a disabled user cannot sign in");
        (_, page) = await admin.GetPageAsync("/console/access");
        Assert.That(page.QuerySelector("#users-table tr[data-user='mona'] .user-state")!.TextContent, Does.Contain("disabled"));

        var enableForm = page.QuerySelector("#users-table tr[data-user='mona'] form[action='/console/access/users/enable']")!.Id!;
        using (var enabled = await admin.SubmitAsync("/console/access", "#" + enableForm, new Dictionary<string, string>()))
            Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var back = await SignInAsync("mona");
        Assert.That(await StatusOfConsoleAsync(back), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Admin_RemovesUser_SessionEndsAtOnce_AndTheUserIsGone()
    {
        using var admin = await SignInAsync("root");
        using var mona = await SignInAsync("mona");
        var (_, page) = await admin.GetPageAsync("/console/access");
        var removeForm = page.QuerySelector("#users-table tr[data-user='mona'] form[action='/console/access/users/remove']")!.Id!;

        using var removed = await admin.SubmitAsync("/console/access", "#" + removeForm, new Dictionary<string, string>());

        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await StatusOfConsoleAsync(mona), Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await _host.Service<UserStore>().FindAsync("mona", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Admin_CannotDisableOrRemoveThemselves()
    {
        using var admin = await SignInAsync("root");
        var (_, page) = await admin.GetPageAsync("/console/access");
        Assert.That(page.QuerySelector("#users-table tr[data-user='root'] form"), Is.Null, "no buttons on your own row");
        var token = page.QuerySelector<IHtmlInputElement>("#new-user input[type=hidden]")!;

        using var response = await admin.Client.PostAsync("/console/access/users/disable",
            new FormUrlEncodedContent(new Dictionary<string, string> { [token.Name!] = token.Value, ["name"] = "ROOT" }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _host.Service<UserStore>().FindAsync("root", CancellationToken.None))!.Disabled, Is.False);
    }

    [Test]
    public async Task PasswordReset_SameRole_EndsTheOpenSession()
    {
        using var mona = await SignInAsync("mona");
        Assert.That(await StatusOfConsoleAsync(mona), Is.EqualTo(HttpStatusCode.OK));

        await _host.Service<UserStore>().UpsertAsync("mona", Role.Manager, "a-new-password", CancellationToken.None);

        Assert.That(await StatusOfConsoleAsync(mona), Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Admin_AddsUserWithUnicodeName_WhoSignsInInAnyCase()
    {
        using var admin = await SignInAsync("root");
        using var added = await admin.SubmitAsync("/console/access", "#new-user",
            new Dictionary<string, string> { ["name"] = "zoë", ["role"] = "Agent", ["password"] = "zoe-password" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var zoe = new ConsoleSession(_host.BaseAddress);
        using var signIn = await zoe.SignInAsync("ZOË", "zoe-password");

        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (_, page) = await zoe.GetPageAsync("/console");
        Assert.That(page.GetElementById("signed-in-user")!.TextContent, Does.Contain("zoë (Agent)"));
    }

    [Test]
    public async Task Manager_CannotOpenAccessPage()
    {
        using var manager = await SignInAsync("mona");
        using var response = await manager.Client.GetAsync("/console/access");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Does.Contain("/console/denied"));
        var (_, page) = await manager.GetPageAsync("/console");
        Assert.That(page.GetElementById("nav-access"), Is.Null);
    }
    private const string Phishing = "Your account is locked. Call +1 555 0100 or sign in at https://evil.example/login";

    [TestCase("/console/access")]
    [TestCase("/console/policy")]
    [TestCase("/console/tagging")]
    public async Task SavedParameter_FreeText_ShowsNothing(string path)
    {
        using var admin = await SignInAsync("root");

        var (response, page) = await admin.GetPageAsync($"{path}?saved={Uri.EscapeDataString(Phishing)}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.GetElementById("saved-message"), Is.Null);
        Assert.That(page.Body!.TextContent, Does.Not.Contain("account is locked").And.Not.Contain("evil.example"));
    }

    [TestCase("/console/access", "token-created", "Token created.")]
    [TestCase("/console/access", "user-disabled", "User disabled; their sessions have ended.")]
    [TestCase("/console/policy", "policy-saved", "Saved: the policy file is in force.")]
    [TestCase("/console/tagging", "rule-unchanged", "Nothing to save: the rule was already set that way.")]
    public async Task SavedParameter_KnownCode_ShowsItsFixedText(string path, string code, string text)
    {
        using var admin = await SignInAsync("root");

        var (_, page) = await admin.GetPageAsync($"{path}?saved={code}");

        Assert.That(page.GetElementById("saved-message")?.TextContent.Trim(), Is.EqualTo(text));
    }

    [Test]
    public async Task SavedParameter_AnotherPagesCode_ShowsNothing()
    {
        using var admin = await SignInAsync("root");

        var (_, page) = await admin.GetPageAsync("/console/policy?saved=token-created");

        Assert.That(page.GetElementById("saved-message"), Is.Null);
    }

    [Test]
    public async Task AddUser_RedirectCarriesACodeNotTheName()
    {
        using var admin = await SignInAsync("root");

        using var added = await admin.SubmitAsync("/console/access", "#new-user", new Dictionary<string, string> { ["name"] = "newbie", ["role"] = "Agent", ["password"] = "newbie-password" });

        Assert.That(added.Headers.Location!.ToString(), Is.EqualTo("/console/access?saved=user-added"));
        var (_, page) = await admin.GetPageAsync(added.Headers.Location!.ToString());
        Assert.That(page.GetElementById("saved-message")!.TextContent.Trim(), Is.EqualTo("User added."));
        Assert.That(page.QuerySelector("tr[data-user='newbie']"), Is.Not.Null, "the table shows who was added");
    }
}
