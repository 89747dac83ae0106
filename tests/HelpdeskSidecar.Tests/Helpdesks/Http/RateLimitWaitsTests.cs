using HelpdeskSidecar.Helpdesks.Http;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Helpdesks.Http;

/// <summary>The health page's rate-limit counter: per provider and source, the last hour and the last day, nothing older.</summary>
public class RateLimitWaitsTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 30, TimeSpan.Zero));

    [Test]
    public void Windows_WaitsOfDifferentAges_HourHoldsTheRecentOnesDayHoldsAll()
    {
        var waits = new RateLimitWaits(_time);
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromHours(2));
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(10));
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(5.5));
        waits.Record("freshdesk", RateLimitWaits.ClientSource, TimeSpan.FromSeconds(1));

        var windows = waits.Windows();

        Assert.That(windows, Is.EqualTo(new[]
        {
            new RateLimitWaitWindow("freshdesk", "client", 1, 1, 1, 1),
            new RateLimitWaitWindow("zendesk", "helpdesk", 2, 15.5, 3, 45.5),
        }));
    }

    [Test]
    public void Windows_AfterADay_ForgetsTheWait_EvenWhenItsBucketIsReusedLater()
    {
        var waits = new RateLimitWaits(_time);
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        Assert.That(waits.Windows().Single().LastDayCount, Is.EqualTo(1), "still inside the day");
        Assert.That(waits.Windows().Single().LastHourCount, Is.Zero);

        _time.Advance(TimeSpan.FromMinutes(1)); // exactly a day: the same minute of the ring, a day later
        Assert.That(waits.Windows(), Is.Empty);
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(2));

        Assert.That(waits.Windows().Single(), Is.EqualTo(new RateLimitWaitWindow("zendesk", "helpdesk", 1, 2, 1, 2)));
    }

    [Test]
    public void Record_NegativeWait_CountsTheWaitAsZero()
    {
        var waits = new RateLimitWaits(_time);
        waits.Record("zendesk", RateLimitWaits.HelpdeskSource, TimeSpan.FromSeconds(-3));

        Assert.That(waits.Windows().Single(), Is.EqualTo(new RateLimitWaitWindow("zendesk", "helpdesk", 1, 0, 1, 0)));
    }
}
