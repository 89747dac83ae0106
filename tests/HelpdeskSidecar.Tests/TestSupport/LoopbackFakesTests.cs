using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HelpdeskSidecar.Access;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// The WireMock-based fakes keep the behaviour the tests rely on: the checks a real helpdesk makes before a route,
/// the request log in arrival order with the raw query, and a slow model answer that neither hides its request nor
/// holds up the fake's shutdown. And a <see cref="SidecarScenario"/> stops everything it started.
/// </summary>
public sealed class LoopbackFakesTests
{
    [Test]
    public async Task FakeZendesk_PutWithoutContentLength_Answers411AndLogsTheRequest()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        var ticket = zendesk.AddTicket(11, "Subject", "Body");
        using var http = new HttpClient { BaseAddress = new Uri(zendesk.BaseUrl) };

        using var response = await http.PutAsync("/api/v2/tickets/11", new UnknownLengthContent("""{"ticket":{"comment":{"body":"x","public":false}}}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.LengthRequired));
        Assert.That(zendesk.Puts(11), Has.Count.EqualTo(1));
        Assert.That(ticket.Comments.Count(), Is.EqualTo(1), "the note was not written");
    }

    [Test]
    public async Task FakeFreshdesk_WrongApiKey_Answers401WithFreshdesksBodyBeforeAnyRoute()
    {
        await using var freshdesk = await FakeFreshdesk.StartAsync();
        freshdesk.AddTicket(21, "Subject", "Body");
        using var http = new HttpClient { BaseAddress = new Uri(freshdesk.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("wrong:X")));

        using var response = await http.GetAsync("/api/v2/tickets/21");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("invalid_credentials"));
        Assert.That(freshdesk.Requests.Single().Authorization, Does.StartWith("Basic "));
    }

    [Test]
    public async Task FakeZendesk_Requests_InArrivalOrderWithTheRawQueryAndAuthorization()
    {
        await using var zendesk = await FakeZendesk.StartAsync();
        zendesk.AddTicket(31, "Subject", "one", "two", "three");
        using var http = new HttpClient { BaseAddress = new Uri(zendesk.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t0ken");

        using (await http.GetAsync("/api/v2/tickets/31")) { }
        using var page = await http.GetAsync("/api/v2/tickets/31/comments?page[after]=2");

        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("three").And.Not.Contain("\"one\""), "the cursor is read from the query");
        Assert.That(zendesk.Requests.Select(r => (r.Method, r.PathAndQuery, r.Authorization)), Is.EqualTo(new[]
        {
            ("GET", "/api/v2/tickets/31", "Bearer t0ken"),
            ("GET", "/api/v2/tickets/31/comments?page[after]=2", "Bearer t0ken"),
        }));
        Assert.That(zendesk.Requests[1].ReceivedAt, Is.GreaterThanOrEqualTo(zendesk.Requests[0].ReceivedAt));
    }

    [Test]
    public async Task FakeOpenAi_SlowAnswerTheClientGaveUpOn_IsInRequestsAndDoesNotHoldUpDispose()
    {
        var openAi = await FakeOpenAi.StartAsync();
        openAi.OnChat("slow", ChatBehaviour.Slow(TimeSpan.FromSeconds(30), new { answer = "late" }));
        using var http = new HttpClient { BaseAddress = new Uri(openAi.BaseUrl), Timeout = TimeSpan.FromMilliseconds(300) };
        var body = """{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"slow","schema":{}}}}""";

        Assert.ThrowsAsync<TaskCanceledException>(async () => await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.That(openAi.ChatRequests("slow"), Has.Count.EqualTo(1), "still being answered, yet received");
        var started = TimeProvider.System.GetTimestamp();
        await openAi.DisposeAsync();
        Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(TimeSpan.FromSeconds(10)), "the scripted delay ends when the fake stops");
    }

    [Test]
    public async Task SidecarScenario_Disposed_StopsTheHostAndTheFakes()
    {
        var scenario = await SidecarScenario.Create().WithZendesk().WithUser("ops", Role.OpsLead, "ops-password").StartAsync();
        var (zendesk, host, files) = (new Uri(scenario.Zendesk.BaseUrl), scenario.Host.BaseAddress, scenario.Files.Path);
        Assert.That(() => scenario.Freshdesk, Throws.InvalidOperationException.With.Message.Contains("WithFreshdesk()"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using (var up = await http.GetAsync(new Uri(host, "/healthz")))
            Assert.That(up.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await scenario.Host.Service<UserStore>().FindAsync("ops", CancellationToken.None), Is.Not.Null);

        await scenario.DisposeAsync();

        Assert.ThrowsAsync<HttpRequestException>(async () => await http.GetAsync(new Uri(zendesk, "/api/v2/tickets/1")));
        Assert.ThrowsAsync<HttpRequestException>(async () => await http.GetAsync(new Uri(host, "/healthz")));
        Assert.That(Directory.Exists(files), Is.False);
    }

    /// <summary>A body whose length is not known up front, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
