using System.Net;
using AngleSharp.Html.Dom;
using Hangfire;
using Hangfire.States;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>The Hangfire dashboard at <c>/hangfire</c> over real HTTP: who sees it, who may act in it, and where the console links to it.</summary>
public class JobDashboardTests
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        // One run per job: a job put into Failed stays there instead of being scheduled for a retry.
        _host = await SidecarTestHost.StartAsync(["Sidecar:Scheduling:MaxRetries=1"]);
        var users = _host.Service<UserStore>();
        foreach (var role in Enum.GetValues<Role>())
            await users.UpsertAsync(Name(role), role, Name(role) + "-password", CancellationToken.None);
    }

    [TearDown]
    public Task StopAsync() => _host.DisposeAsync().AsTask();

    private static string Name(Role role) => role.ToString().ToLowerInvariant();

    private Task<ConsoleSession> SignInAsync(string role) => SignInAsync(Enum.Parse<Role>(role));

    private async Task<ConsoleSession> SignInAsync(Role role)
    {
        var session = new ConsoleSession(_host.BaseAddress);
        using var response = await session.SignInAsync(Name(role), Name(role) + "-password");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sign-in");
        return session;
    }

    [TestCase("Agent", HttpStatusCode.Forbidden)]
    [TestCase("Manager", HttpStatusCode.OK)]
    [TestCase("OpsLead", HttpStatusCode.OK)]
    [TestCase("Admin", HttpStatusCode.OK)]
    public async Task Dashboard_ConsoleSession_AnswersByRole(string role, HttpStatusCode expected)
    {
        using var session = await SignInAsync(role);

        using var response = await session.Client.GetAsync("/hangfire");

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        if (expected == HttpStatusCode.OK)
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("HelpdeskSidecar jobs"), "Hangfire's page, with our title");
    }

    [Test]
    public async Task Dashboard_Anonymous_RedirectedToConsoleSignIn()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };

        using var response = await client.GetAsync("/hangfire/jobs/failed");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Does.StartWith($"{_host.BaseAddress.ToString().TrimEnd('/')}/console/login?ReturnUrl=%2Fhangfire%2Fjobs%2Ffailed")
            .Or.StartWith("/console/login?ReturnUrl=%2Fhangfire%2Fjobs%2Ffailed"));
    }

    [Test]
    public async Task Dashboard_SignInFromRedirect_ReturnsToTheDashboard()
    {
        using var session = new ConsoleSession(_host.BaseAddress);

        using var response = await session.SubmitAsync("/console/login?ReturnUrl=%2Fhangfire", "#login-form",
            new Dictionary<string, string> { ["username"] = "opslead", ["password"] = "opslead-password" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/hangfire"));
    }

    [TestCase("Admin")]
    [TestCase("Manager")]
    public async Task Dashboard_ApiToken_Forbidden(string role)
    {
        using var client = _host.ClientWithToken(await _host.CreateTokenAsync(Enum.Parse<Role>(role)));

        using var response = await client.GetAsync("/hangfire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task RequeuePost_Manager_RefusedAndTheJobStaysFailed()
    {
        var jobId = FailedJob();
        using var session = await SignInAsync(Role.Manager);

        using var response = await RequeueAsync(session, jobId);

        Assert.That((int)response.StatusCode, Is.EqualTo(401), "Hangfire refuses a command in a read-only dashboard");
        Assert.That(StateOf(jobId), Is.EqualTo(FailedState.StateName));
    }

    [TestCase("OpsLead")]
    [TestCase("Admin")]
    public async Task RequeuePost_OpsLeadOrAdmin_JobLeavesFailed(string role)
    {
        var jobId = FailedJob();
        using var session = await SignInAsync(role);

        using var response = await RequeueAsync(session, jobId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(StateOf(jobId), Is.Not.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task FailedJob_DashboardList_ShowsAReadableName()
    {
        FailedJob();
        using var session = await SignInAsync(Role.Manager);

        var (response, page) = await session.GetPageAsync("/hangfire/jobs/failed");
        using (response)
            Assert.That(page.Body!.TextContent, Does.Contain("Note for suggestion s-missing"));
    }

    [TestCase("Agent", false)]
    [TestCase("Manager", true)]
    [TestCase("OpsLead", true)]
    [TestCase("Admin", true)]
    public async Task ConsoleNavigation_ByRole_LinksTheDashboard(string role, bool linked)
    {
        using var session = await SignInAsync(role);

        var (response, page) = await session.GetPageAsync("/console");
        using (response)
        {
            var link = page.GetElementById("nav-jobs") as IHtmlAnchorElement;
            Assert.That(link?.GetAttribute("href"), linked ? Is.EqualTo("/hangfire") : Is.Null);
        }
    }

    /// <summary>A write-back job for a suggestion that does not exist, put straight into the Failed state.</summary>
    private string FailedJob() =>
        _host.Service<IBackgroundJobClient>().Create<WriteBackJob>(j => j.RunAsync("s-missing", null, CancellationToken.None),
            new FailedState(new InvalidOperationException("test failure")));

    private string? StateOf(string jobId)
    {
        using var connection = _host.Service<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>The dashboard's requeue button: a POST with the antiforgery token its page carries.</summary>
    private static async Task<HttpResponseMessage> RequeueAsync(ConsoleSession session, string jobId)
    {
        var (page, html) = await session.GetPageAsync($"/hangfire/jobs/details/{jobId}");
        using (page)
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the job's page");
            var header = html.QuerySelector("meta[name=csrf-header]")?.GetAttribute("content") ?? throw new AssertionException("no csrf-header");
            var token = html.QuerySelector("meta[name=csrf-token]")?.GetAttribute("content") ?? throw new AssertionException("no csrf-token");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/hangfire/jobs/actions/requeue/{jobId}") { Content = new FormUrlEncodedContent([]) };
            request.Headers.Add(header, token);
            return await session.Client.SendAsync(request);
        }
    }
}
