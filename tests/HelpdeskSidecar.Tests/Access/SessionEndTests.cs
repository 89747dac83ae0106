using System.Net;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Access;

/// <summary>
/// Console sessions that really end, on a real host with its store (SQLite, and PostgreSQL): a role change, a sign-out
/// (for a copy of the cookie too) and the absolute lifetime, whatever the sliding idle timeout says.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class SessionEndTests(string provider)
{
    private static async Task<ConsoleSession> SignInAsync(SidecarTestHost host, string name, string password)
    {
        var session = new ConsoleSession(host.BaseAddress);
        using var response = await session.SignInAsync(name, password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed in");
        return session;
    }

    private static async Task<HttpStatusCode> StatusAsync(ConsoleSession session, string path = "/console/reports")
    {
        using var response = await session.Client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>A second browser holding a copy of the session cookie (as an attacker who copied it would).</summary>
    private static ConsoleSession CopyOf(SidecarTestHost host, ConsoleSession original)
    {
        var copy = new ConsoleSession(host.BaseAddress);
        foreach (Cookie cookie in original.Cookies.GetAllCookies())
            copy.Cookies.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        return copy;
    }

    [Test]
    public async Task RoleChange_DemotedToAgentAndBack_OldSessionStaysEnded()
    {
        await using var host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));
        var users = host.Service<UserStore>();
        await users.UpsertAsync("mona", Role.Manager, "mona-password", CancellationToken.None);
        using var mona = await SignInAsync(host, "mona", "mona-password");
        using var copy = CopyOf(host, mona);
        Assert.That(await StatusAsync(mona), Is.EqualTo(HttpStatusCode.OK));

        await users.UpsertAsync("mona", Role.Agent, "mona-password", CancellationToken.None);
        await users.UpsertAsync("mona", Role.Manager, "mona-password", CancellationToken.None);

        Assert.That(await StatusAsync(copy), Is.EqualTo(HttpStatusCode.Redirect), "the role is the same as at sign-in again, the session is not");
        Assert.That(await StatusAsync(mona), Is.EqualTo(HttpStatusCode.Redirect));
        using var again = await SignInAsync(host, "mona", "mona-password");
        Assert.That(await StatusAsync(again), Is.EqualTo(HttpStatusCode.OK), "a new sign-in works");
    }

    [Test]
    public async Task SignOut_CopyOfTheCookie_NoLongerOpensTheConsole()
    {
        await using var host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));
        await host.Service<UserStore>().UpsertAsync("sven", Role.Manager, "sven-password", CancellationToken.None);
        using var browser = await SignInAsync(host, "sven", "sven-password");
        using var stolen = CopyOf(host, browser);
        Assert.That(await StatusAsync(stolen), Is.EqualTo(HttpStatusCode.OK), "the copy works while the session is open");

        using var signOut = await browser.SubmitAsync("/console", "form[action='/console/logout']", new Dictionary<string, string>());
        Assert.That(signOut.Headers.Location?.ToString(), Is.EqualTo("/console/login"));

        using var reports = await stolen.Client.GetAsync("/console/reports");
        Assert.That(reports.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(reports.Headers.Location?.ToString(), Does.Contain("/console/login"));
        using var api = await stolen.Client.GetAsync("/api/reports/acceptance");
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "nor does it read /api");
    }

    [Test]
    public async Task SignOut_InOneBrowser_TheUsersOtherBrowserStaysSignedIn()
    {
        await using var host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));
        await host.Service<UserStore>().UpsertAsync("tara", Role.Manager, "tara-password", CancellationToken.None);
        using var laptop = await SignInAsync(host, "tara", "tara-password");
        using var phone = await SignInAsync(host, "tara", "tara-password");

        using (await laptop.SubmitAsync("/console", "form[action='/console/logout']", new Dictionary<string, string>())) { }

        Assert.That(await StatusAsync(laptop), Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await StatusAsync(phone), Is.EqualTo(HttpStatusCode.OK), "signing out ends that browser's session only");
    }

    [Test]
    public async Task ActiveSession_PastTheAbsoluteLifetime_Ends()
    {
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await SidecarTestHost.StartAsync(
            [.. await StorageProviders.SettingsAsync(provider), "Sidecar:Access:SessionIdleTimeout=08:00:00", "Sidecar:Access:SessionAbsoluteLifetime=12:00:00"],
            b => b.Services.AddSingleton<TimeProvider>(clock));
        await host.Service<UserStore>().UpsertAsync("ida", Role.Manager, "ida-password", CancellationToken.None);
        using var ida = await SignInAsync(host, "ida", "ida-password");

        // Active every 5 hours: the sliding idle timeout (8 h) never runs out, and the cookie is renewed each time.
        clock.Advance(TimeSpan.FromHours(5));
        Assert.That(await StatusAsync(ida), Is.EqualTo(HttpStatusCode.OK), "5 h after sign-in");
        clock.Advance(TimeSpan.FromHours(5));
        Assert.That(await StatusAsync(ida), Is.EqualTo(HttpStatusCode.OK), "10 h after sign-in");
        clock.Advance(TimeSpan.FromHours(2.5));
        Assert.That(await StatusAsync(ida), Is.EqualTo(HttpStatusCode.Redirect), "12.5 h after sign-in: past the absolute lifetime");

        using var again = await SignInAsync(host, "ida", "ida-password");
        Assert.That(await StatusAsync(again), Is.EqualTo(HttpStatusCode.OK), "a new sign-in starts a new lifetime");
    }

    [Test]
    public async Task Start_AbsoluteLifetimeNotPositive_FailsNamingTheKey()
    {
        var e = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await SidecarTestHost.StartAsync(["Sidecar:Access:SessionAbsoluteLifetime=00:00:00"]);
        });
        Assert.That(e!.Message, Does.Contain("Sidecar:Access:SessionAbsoluteLifetime"));
    }
}
