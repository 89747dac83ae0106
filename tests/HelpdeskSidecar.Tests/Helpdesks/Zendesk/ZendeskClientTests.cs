using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks.Zendesk;

/// <summary>The typed client against the loopback Zendesk that answers with the recorded fixtures.</summary>
public class ZendeskClientTests
{
    private FakeZendesk _zendesk = null!;

    [SetUp]
    public async Task StartAsync() => _zendesk = await FakeZendesk.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _zendesk.DisposeAsync();

    private ZendeskClient Client(string? oauth = null, RateLimitOptions? rateLimit = null, string? baseUrl = null)
    {
        var options = new ZendeskOptions { BaseUrl = baseUrl ?? _zendesk.BaseUrl, Email = "bot@example.com", ApiToken = "t0ken", OAuthToken = oauth };
        if (rateLimit is not null)
            options.RateLimit = rateLimit;
        return HelpdeskClients.Zendesk(options);
    }

    [Test]
    public async Task GetTicket_CommentsOverSeveralCursorPages_ReturnsThemAllInOrderWithRoles()
    {
        _zendesk.PageSize = 2;
        var ticket = _zendesk.AddTicket(11, "Where is my parcel", "first", "second", "third", "fourth", "fifth");
        ticket.AddComment(FakeZendesk.AgentId, "internal remark", isPublic: false);

        var loaded = await Client().GetTicketAsync("11", CancellationToken.None);

        Assert.That(loaded.Subject, Is.EqualTo("Where is my parcel"));
        Assert.That(loaded.Comments.Select(c => c.Body), Is.EqualTo(new[] { "first", "second", "third", "fourth", "fifth", "internal remark" }));
        Assert.That(loaded.Comments.Take(5).Select(c => c.AuthorRole), Is.All.EqualTo(AuthorRole.EndUser));
        Assert.That(loaded.Comments[^1].AuthorRole, Is.EqualTo(AuthorRole.Agent));
        Assert.That(loaded.Comments[^1].IsPublic, Is.False);
        Assert.That(loaded.RequesterName, Is.EqualTo("Casey Customer"));
        Assert.That(loaded.AwaitsAgentReply, Is.True);
        var commentCalls = _zendesk.Requests.Where(r => r.PathAndQuery.Contains("/comments", StringComparison.Ordinal)).ToList();
        Assert.That(commentCalls, Has.Count.EqualTo(3));
        Assert.That(commentCalls[1].PathAndQuery, Does.Contain("page[after]=2"));
    }

    [Test]
    public async Task GetTicket_CustomerInCcLeftOutOfTheSideload_FetchedWithShowManyAndStillAwaitsAReply()
    {
        const long ccCustomer = 777001;
        _zendesk.OtherUsers[ccCustomer] = ("Chris Cc", "end-user");
        var ticket = _zendesk.AddTicket(21, "Where is my parcel", "first");
        ticket.AddComment(FakeZendesk.AgentId, "We are looking into it.", isPublic: true);
        ticket.AddComment(ccCustomer, "Any news? I am in copy.", isPublic: true);

        var loaded = await Client().GetTicketAsync("21", CancellationToken.None);

        Assert.That(loaded.Comments[^1].AuthorRole, Is.EqualTo(AuthorRole.EndUser), "a customer in CC is no agent");
        Assert.That(loaded.AwaitsAgentReply, Is.True, "the customer's last message is waiting for a reply");
        var showMany = _zendesk.ShowManyReads();
        Assert.That(showMany.Select(r => r.PathAndQuery), Is.EqualTo(new[] { $"/api/v2/users/show_many?ids={ccCustomer}" }), "only the missing author is asked for");
        if (Contracts.ZendeskOpenApi.FindSpecPath() is { } spec)
            Assert.That(Contracts.ZendeskOpenApi.Load(spec).ValidateRequest("GET", showMany[0].PathAndQuery, null), Is.Empty);
    }

    [Test]
    public async Task GetTicket_SideloadMissing_EveryAuthorsRoleFromShowMany()
    {
        _zendesk.SideloadUsers = false;
        var ticket = _zendesk.AddTicket(22, "Refund", "Where is my refund?");
        ticket.AddComment(FakeZendesk.AgentId, "It is on its way.", isPublic: true);

        var loaded = await Client().GetTicketAsync("22", CancellationToken.None);

        Assert.That(loaded.Comments.Select(c => c.AuthorRole), Is.EqualTo(new[] { AuthorRole.EndUser, AuthorRole.Agent }));
        Assert.That(loaded.RequesterName, Is.EqualTo("Casey Customer"));
        Assert.That(_zendesk.ShowManyReads().Single().PathAndQuery, Is.EqualTo($"/api/v2/users/show_many?ids={FakeZendesk.CustomerId},{FakeZendesk.AgentId}"));
    }

    [Test]
    public async Task GetTicket_AuthorZendeskDoesNotKnow_FallsBackToTheRequesterRule()
    {
        var ticket = _zendesk.AddTicket(23, "Refund", "Where is my refund?");
        ticket.AddComment(888001, "Deleted user's remark", isPublic: true);

        var loaded = await Client().GetTicketAsync("23", CancellationToken.None);

        Assert.That(_zendesk.ShowManyReads(), Has.Count.EqualTo(1), "Zendesk was asked first");
        Assert.That(loaded.Comments[^1].AuthorRole, Is.EqualTo(AuthorRole.Agent), "not the requester: the rule's answer");
    }

    [Test]
    public async Task GetTicket_AllAuthorsSideloaded_NoShowManyCall()
    {
        var ticket = _zendesk.AddTicket(24, "Refund", "Where is my refund?");
        ticket.AddComment(FakeZendesk.AgentId, "It is on its way.", isPublic: true);

        await Client().GetTicketAsync("24", CancellationToken.None);

        Assert.That(_zendesk.ShowManyReads(), Is.Empty);
    }

    [Test]
    public async Task GetTicket_ApiToken_SendsBasicEmailSlashToken()
    {
        _zendesk.AddTicket(12, "s", "m");
        await Client().GetTicketAsync("12", CancellationToken.None);
        var expected = "Basic " + Convert.ToBase64String("bot@example.com/token:t0ken"u8.ToArray());
        Assert.That(_zendesk.Requests.First().Authorization, Is.EqualTo(expected));
    }

    [Test]
    public async Task GetTicket_OAuthToken_SendsBearer()
    {
        _zendesk.AddTicket(13, "s", "m");
        await Client(oauth: "oauth-abc").GetTicketAsync("13", CancellationToken.None);
        Assert.That(_zendesk.Requests.First().Authorization, Is.EqualTo("Bearer oauth-abc"));
    }

    [Test]
    public void GetTicket_Missing_ThrowsNonRetryable()
    {
        var ex = Assert.ThrowsAsync<HelpdeskException>(() => Client().GetTicketAsync("999", CancellationToken.None));
        Assert.That(ex!.Retryable, Is.False);
        Assert.That(ex.Message, Does.Contain("404"));
    }

    [Test]
    public async Task AddInternalNote_SendsPrivateComment()
    {
        _zendesk.AddTicket(14, "s", "m");
        var result = await Client().AddInternalNoteAsync("14", "note body", CancellationToken.None);
        Assert.That(result.Succeeded, Is.True);
        var put = _zendesk.Puts(14).Single();
        Assert.That(put.Body, Is.EqualTo("""{"ticket":{"comment":{"body":"note body","public":false}}}"""));
    }

    [Test]
    public async Task AddInternalNote_429WithShortRetryAfter_IsRetriedAndSucceeds()
    {
        _zendesk.AddTicket(15, "s", "m");
        _zendesk.FailNextUpdates(429, "1");
        var result = await Client().AddInternalNoteAsync("15", "note", CancellationToken.None);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(_zendesk.Puts(15), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AddInternalNote_429WithLongRetryAfter_ReturnsTransientWithDelayUntil()
    {
        _zendesk.AddTicket(16, "s", "m");
        _zendesk.FailNextUpdates(429, "120");
        var before = TimeProvider.System.GetUtcNow();
        var result = await Client().AddInternalNoteAsync("16", "note", CancellationToken.None);
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Retryable, Is.True);
        Assert.That(result.DelayUntil, Is.GreaterThanOrEqualTo(before.AddSeconds(119)));
        Assert.That(_zendesk.Puts(16), Has.Count.EqualTo(1), "a long wait is handed back to the scheduler, not slept on a thread");
    }

    [Test]
    public async Task AddInternalNote_ServerError_IsNotRetriedBlindly()
    {
        _zendesk.AddTicket(17, "s", "m");
        _zendesk.FailNextUpdates(500, null);
        var result = await Client().AddInternalNoteAsync("17", "note", CancellationToken.None);
        Assert.That(result.Retryable, Is.True);
        Assert.That(_zendesk.Puts(17), Has.Count.EqualTo(1), "a write that may have happened is only retried after looking for its marker");
    }

    [Test]
    public async Task AddInternalNote_UnprocessableEntity_IsPermanent()
    {
        _zendesk.AddTicket(18, "s", "m");
        _zendesk.FailNextUpdates(422, null);
        var result = await Client().AddInternalNoteAsync("18", "note", CancellationToken.None);
        Assert.That(result.Retryable, Is.False);
    }

    [Test]
    public async Task GetTicket_CommentsOverSeveralCursorPages_EveryRequestMatchesTheZendeskOas()
    {
        var spec = Contracts.ZendeskOpenApi.FindSpecPath();
        if (spec is null)
            Assert.Ignore("shared/contracts/zendesk/oas/support-oas.yaml is not reachable from here");
        _zendesk.PageSize = 1;
        _zendesk.AddTicket(25, "Where is my parcel", "first", "second", "third");

        await Client().GetTicketAsync("25", CancellationToken.None);

        var requests = _zendesk.Requests.ToList();
        Assert.That(requests.Select(r => r.PathAndQuery), Has.Some.EqualTo("/api/v2/tickets/25/comments?include=users&page[size]=100&page[after]=1"),
            "Zendesk's page[...] names go literally, as Refit's template holds them");
        var oas = Contracts.ZendeskOpenApi.Load(spec!);
        Assert.That(requests.SelectMany(r => oas.ValidateRequest(r.Method, r.PathAndQuery, r.Body).Select(e => $"{r.PathAndQuery}: {e}")), Is.Empty);
    }

    [Test]
    public void GetTicket_ZendeskUnreachable_ThrowsRetryableWithTheCauseInOneLine()
    {
        var ex = Assert.ThrowsAsync<HelpdeskException>(() => Client(baseUrl: "http://127.0.0.1:1").GetTicketAsync("19", CancellationToken.None));

        Assert.That(ex!.Retryable, Is.True);
        Assert.That(ex.Message, Is.EqualTo("Zendesk could not be reached: connection refused (127.0.0.1:1)."), "Refit's wrapper is not what a reader needs");
    }

    [Test]
    public async Task AddInternalNote_ZendeskUnreachable_TransientWithTheCauseInOneLine()
    {
        var result = await Client(baseUrl: "http://127.0.0.1:1").AddInternalNoteAsync("19", "note", CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Retryable, Is.True);
        Assert.That(result.Error, Is.EqualTo("The note on ticket 19 did not complete: connection refused (127.0.0.1:1)."));
    }

    [Test]
    public async Task AddInternalNote_AccountUpdateLimitReached_HandsBackDelayUntilWithoutSending()
    {
        _zendesk.AddTicket(26, "s", "m");
        var client = Client(rateLimit: new RateLimitOptions { Requests = 10, TicketUpdates = 1, Window = TimeSpan.FromMinutes(1) });
        var before = TimeProvider.System.GetUtcNow();

        var first = await client.AddInternalNoteAsync("26", "one", CancellationToken.None);
        var second = await client.AddInternalNoteAsync("26", "two", CancellationToken.None);

        Assert.That(first.Succeeded, Is.True);
        Assert.That(second.Succeeded, Is.False);
        Assert.That(second.Retryable, Is.True);
        Assert.That(second.DelayUntil, Is.GreaterThanOrEqualTo(before.AddSeconds(50)), "the window's rest, not a retry on the spot");
        Assert.That(_zendesk.Puts(26), Has.Count.EqualTo(1), "the account's limiter held the second write back");
    }

    [Test]
    public async Task AddInternalNote_ZendeskFailingOverAndOver_CircuitOpensAndHandsBackItsBreak()
    {
        _zendesk.AddTicket(27, "s", "m");
        _zendesk.FailNextUpdates(500, null, times: 10);
        var client = Client();
        for (var i = 0; i < 10; i++)
            Assert.That((await client.AddInternalNoteAsync("27", "note", CancellationToken.None)).Error, Does.Contain("answered 500"));
        var before = TimeProvider.System.GetUtcNow();

        var result = await client.AddInternalNoteAsync("27", "note", CancellationToken.None);

        Assert.That(result.Retryable, Is.True);
        Assert.That(result.Error, Is.EqualTo("The Zendesk circuit is open."));
        Assert.That(result.DelayUntil, Is.GreaterThan(before.AddSeconds(5)), "tried again once the break is over");
        Assert.That(_zendesk.Puts(27), Has.Count.EqualTo(10), "an open circuit sends nothing");
    }
}
