using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Scheduling;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>The retry backoff and the rounding of scheduled moments that Hangfire keeps in whole seconds.</summary>
public class JobRetryTests
{
    [TestCase("2026-12-07T10:00:07.0010000Z", "2026-12-07T10:00:08.0000000Z")]
    [TestCase("2026-12-07T10:00:07.9990000Z", "2026-12-07T10:00:08.0000000Z")]
    [TestCase("2026-12-07T10:00:07.0000000Z", "2026-12-07T10:00:07.0000000Z")]
    public void NoSoonerThan_FractionOfASecond_RoundedUp(string until, string expected)
    {
        var result = JobRetry.NoSoonerThan(DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(result, Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime));
        Assert.That(result.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [TestCase(1, 0.5, 5)]    // RetryInitialDelay, no jitter at the middle of the range
    [TestCase(2, 0.5, 10)]   // doubled
    [TestCase(3, 0.5, 20)]
    [TestCase(9, 0.5, 600)]  // capped at RetryMaxDelay (10 min)
    [TestCase(1, 0.0, 4)]    // -20 %
    [TestCase(1, 0.999, 6)]  // +20 %, rounded up
    public void DelaySeconds_Defaults_ExponentialCappedWithJitter(long attempt, double sample, int expected)
    {
        Assert.That(JobRetry.DelaySeconds(new SchedulingOptions(), attempt, sample), Is.EqualTo(expected));
    }

    [Test]
    public void DelaySeconds_SubSecondInitialDelay_AtLeastOneSecond()
    {
        var options = new SchedulingOptions { RetryInitialDelay = TimeSpan.FromMilliseconds(200) };

        Assert.That(JobRetry.DelaySeconds(options, 1, 0.0), Is.EqualTo(1));
    }

    [Test]
    public void Policy_MaxRetriesCountsEveryRun_HangfireGetsOneFewer()
    {
        var policy = JobRetry.Policy(new SchedulingOptions { MaxRetries = 4 }, new Random(1));

        Assert.That(policy.Attempts, Is.EqualTo(3));
        Assert.That(policy.LogEvents, Is.False, "the jobs log each failure themselves");
    }
}
