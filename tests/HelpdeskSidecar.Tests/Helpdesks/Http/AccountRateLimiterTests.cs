using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks.Http;

public class AccountRateLimiterTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void TryAcquire_OverTheOverallLimit_RefusesUntilTheOldestCallIsAWindowOld()
    {
        var limiter = new AccountRateLimiter(new RateLimitOptions { Requests = 3, Window = TimeSpan.FromMinutes(1) }, _time);
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.True);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.True);
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.True);

        Assert.That(limiter.TryAcquire(false, out var wait, completeNow: true), Is.False);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(50)));

        _time.Advance(TimeSpan.FromSeconds(49));
        Assert.That(limiter.TryAcquire(false, out wait, completeNow: true), Is.False);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(1)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.True, "the first call is now a minute old");
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.False, "the two calls at +10 s are not");
    }

    [Test]
    public void TryAcquire_TicketUpdates_HaveTheirOwnLimitAndCountTowardsTheOverallOne()
    {
        var limiter = new AccountRateLimiter(new RateLimitOptions { Requests = 4, TicketUpdates = 2, Window = TimeSpan.FromMinutes(1) }, _time);
        Assert.That(limiter.TryAcquire(true, out _, completeNow: true), Is.True);
        Assert.That(limiter.TryAcquire(true, out _, completeNow: true), Is.True);
        Assert.That(limiter.TryAcquire(true, out var wait, completeNow: true), Is.False);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.True, "reads are still allowed");
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.True);
        Assert.That(limiter.TryAcquire(false, out _, completeNow: true), Is.False, "two updates and two reads use the overall four");
    }

    [Test]
    public void TryAcquire_CallStillInFlight_CountsUntilAWindowAfterItCompletes()
    {
        var limiter = new AccountRateLimiter(new RateLimitOptions { TicketUpdates = 1, Window = TimeSpan.FromSeconds(10) }, _time);
        var slow = limiter.TryAcquire(true, out _);
        Assert.That(slow, Is.Not.Null);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(limiter.TryAcquire(true, out _), Is.Null, "a call that has not completed cannot have left the window");
        slow!.Complete();
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(limiter.TryAcquire(true, out var wait), Is.Null);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(1)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(limiter.TryAcquire(true, out _), Is.Not.Null);
    }

    [Test]
    public void TryAcquire_ZeroLimits_NeverRefuse()
    {
        var limiter = new AccountRateLimiter(new RateLimitOptions { Requests = 0, TicketUpdates = 0 }, _time);
        Assert.That(Enumerable.Range(0, 10_000).All(i => limiter.TryAcquire(true, out _, completeNow: true)), Is.True);
    }

    [TestCase("POST", "https://acme.freshdesk.com/api/v2/tickets/1/notes", true)]
    [TestCase("PUT", "https://acme.zendesk.com/api/v2/tickets/1", true)]
    [TestCase("GET", "https://acme.zendesk.com/api/v2/tickets/1", false)]
    [TestCase("POST", "https://acme.zendesk.com/api/v2/search", false)]
    public void IsTicketUpdate_WritesUnderTickets(string method, string url, bool expected) =>
        Assert.That(AccountRateLimiter.IsTicketUpdate(new HttpRequestMessage(new HttpMethod(method), url)), Is.EqualTo(expected));
}
