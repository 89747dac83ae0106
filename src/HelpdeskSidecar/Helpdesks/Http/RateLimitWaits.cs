namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>One provider's rate-limit waits from one source over a recent window.</summary>
/// <param name="Source"><c>helpdesk</c>: the helpdesk answered 429 (or 503 with <c>Retry-After</c>); <c>client</c>: our own limiter held a call back.</param>
internal sealed record RateLimitWaitWindow(string Provider, string Source, long LastHourCount, double LastHourWaitSeconds, long LastDayCount, double LastDayWaitSeconds);

/// <summary>
/// How often, and for how long in all, the helpdesk APIs told us to wait, per provider, for the ops health page: counted
/// where each attempt's answer is seen (<see cref="RateLimitHandler"/>), in one-minute buckets over the last day. Kept in
/// memory: each replica counts its own calls, and a restart starts from zero (the page says so). The metric
/// <c>sidecar.ratelimit.waits</c> carries the same events to a collector, for a view across replicas.
/// </summary>
internal sealed class RateLimitWaits(TimeProvider time)
{
    public const string HelpdeskSource = "helpdesk";
    public const string ClientSource = "client";

    private const int Minutes = 24 * 60;

    private readonly Dictionary<(string Provider, string Source), Bucket[]> _buckets = [];
    private readonly Lock _lock = new();

    /// <summary>When this replica started counting.</summary>
    public DateTimeOffset Since { get; } = time.GetUtcNow();

    /// <param name="wait">What was asked for (<c>Retry-After</c>); zero when the answer named no time.</param>
    public void Record(string provider, string source, TimeSpan wait)
    {
        var minute = MinuteOf(time.GetUtcNow());
        if (wait < TimeSpan.Zero)
            wait = TimeSpan.Zero;
        lock (_lock)
        {
            if (!_buckets.TryGetValue((provider, source), out var buckets))
                _buckets[(provider, source)] = buckets = new Bucket[Minutes];
            ref var bucket = ref buckets[minute % Minutes];
            if (bucket.Minute != minute)
                bucket = new Bucket { Minute = minute };
            bucket.Count++;
            bucket.WaitTicks += wait.Ticks;
        }
    }

    /// <summary>Every provider and source that waited in the last day, ordered by provider then source.</summary>
    public IReadOnlyList<RateLimitWaitWindow> Windows()
    {
        var now = MinuteOf(time.GetUtcNow());
        var windows = new List<RateLimitWaitWindow>();
        lock (_lock)
        {
            foreach (var ((provider, source), buckets) in _buckets.OrderBy(b => b.Key.Provider, StringComparer.Ordinal).ThenBy(b => b.Key.Source, StringComparer.Ordinal))
            {
                long hourCount = 0, hourTicks = 0, dayCount = 0, dayTicks = 0;
                foreach (var bucket in buckets)
                {
                    var age = now - bucket.Minute;
                    if (bucket.Count == 0 || age < 0 || age >= Minutes)
                        continue;
                    dayCount += bucket.Count;
                    dayTicks += bucket.WaitTicks;
                    if (age < 60)
                    {
                        hourCount += bucket.Count;
                        hourTicks += bucket.WaitTicks;
                    }
                }
                if (dayCount > 0)
                    windows.Add(new(provider, source, hourCount, Seconds(hourTicks), dayCount, Seconds(dayTicks)));
            }
        }
        return windows;
    }

    private static double Seconds(long ticks) => Math.Round(TimeSpan.FromTicks(ticks).TotalSeconds, 1);

    private static long MinuteOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerMinute;

    private struct Bucket
    {
        public long Minute;
        public long Count;
        public long WaitTicks;
    }
}
