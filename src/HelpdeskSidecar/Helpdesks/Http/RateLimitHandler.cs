using System.Net;
using System.Net.Http.Headers;
using HelpdeskSidecar.Configuration;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>
/// Keeps one helpdesk account under its API limits from our side: at most <see cref="RateLimitOptions.Requests"/>
/// calls, and at most <see cref="RateLimitOptions.TicketUpdates"/> writes to tickets, in any sliding
/// <see cref="RateLimitOptions.Window"/>. Shared by every HttpClient of the account (one instance per account).
/// </summary>
internal sealed class AccountRateLimiter(RateLimitOptions options, TimeProvider time)
{
    private readonly SlidingLog _all = new(options.Requests, options.Window);
    private readonly SlidingLog _updates = new(options.TicketUpdates, options.Window);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time;

    /// <summary>
    /// Takes a permit now, or says how long until one is free (nothing is taken then). A permit counts from the
    /// moment its call completes (<see cref="Permit.Complete"/>), not from when it was taken, so the helpdesk never
    /// sees more calls in a window than allowed, however long each call spent on the way.
    /// </summary>
    public Permit? TryAcquire(bool isTicketUpdate, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var waitAll = _all.WaitFor(now, _time);
            var waitUpdate = isTicketUpdate ? _updates.WaitFor(now, _time) : TimeSpan.Zero;
            retryAfter = waitAll > waitUpdate ? waitAll : waitUpdate;
            if (retryAfter > TimeSpan.Zero)
                return null;
            var permit = new Permit(this);
            _all.Add(permit);
            if (isTicketUpdate)
                _updates.Add(permit);
            return permit;
        }
    }

    public bool TryAcquire(bool isTicketUpdate, out TimeSpan retryAfter, bool completeNow)
    {
        var permit = TryAcquire(isTicketUpdate, out retryAfter);
        if (completeNow)
            permit?.Complete();
        return permit is not null;
    }

    /// <summary>Writes to a ticket (Zendesk's Update Ticket, Freshdesk's notes): anything but a read under <c>/tickets</c>.</summary>
    public static bool IsTicketUpdate(HttpRequestMessage request) =>
        request.Method != HttpMethod.Get && request.Method != HttpMethod.Head
        && request.RequestUri?.OriginalString.Contains("/tickets", StringComparison.OrdinalIgnoreCase) == true;

    internal sealed class Permit(AccountRateLimiter owner)
    {
        /// <summary><see cref="long.MaxValue"/> while the call is in flight: it counts, and cannot expire yet.</summary>
        public long CompletedAt { get; private set; } = long.MaxValue;

        public void Complete()
        {
            lock (owner._lock)
                CompletedAt = owner._time.GetTimestamp();
        }
    }

    /// <summary>The permits of the last window; a new one is free once fewer than the limit remain.</summary>
    private sealed class SlidingLog(int limit, TimeSpan window)
    {
        private readonly List<Permit> _permits = [];

        public TimeSpan WaitFor(long now, TimeProvider time)
        {
            if (limit <= 0)
                return TimeSpan.Zero; // 0 = no limit
            _permits.RemoveAll(p => p.CompletedAt != long.MaxValue && time.GetElapsedTime(p.CompletedAt, now) >= window);
            if (_permits.Count < limit)
                return TimeSpan.Zero;
            var oldest = _permits.Min(p => p.CompletedAt);
            return oldest == long.MaxValue ? window : window - time.GetElapsedTime(oldest, now);
        }

        public void Add(Permit permit)
        {
            if (limit > 0)
                _permits.Add(permit);
        }
    }
}

/// <summary>
/// Sits inside the resilience pipeline (each attempt takes a permit). Without a permit the request does not leave:
/// it is answered locally with a 429 and <c>Retry-After</c>, which the pipeline waits out when short, and which
/// otherwise reaches the write-back as a <c>DelayUntil</c> to reschedule at, as a real 429 would. Every wait, ours or
/// the helpdesk's (a 429, or a 503 naming a <c>Retry-After</c>), is counted for the health page (<see cref="RateLimitWaits"/>).
/// </summary>
internal sealed class RateLimitHandler(AccountRateLimiter limiter, string account, RateLimitWaits waits, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (limiter.TryAcquire(AccountRateLimiter.IsTicketUpdate(request), out var retryAfter) is { } permit)
        {
            HttpResponseMessage answer;
            try
            {
                answer = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                permit.Complete();
            }
            if (HelpdeskWait(answer) is { } wait)
                waits.Record(account, RateLimitWaits.HelpdeskSource, wait);
            return answer;
        }
        Telemetry.SidecarTelemetry.RateLimitWaits.Add(1, new KeyValuePair<string, object?>("source", "client"));
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        waits.Record(account, RateLimitWaits.ClientSource, TimeSpan.FromSeconds(seconds));
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            RequestMessage = request,
            ReasonPhrase = "Client-side rate limit",
            Content = new StringContent(""),
        };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    /// <summary>The wait the helpdesk asked for: a 429 (zero without a <c>Retry-After</c>), or a 503 that names one; null otherwise.</summary>
    private TimeSpan? HelpdeskWait(HttpResponseMessage response)
    {
        var asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => asked ?? TimeSpan.Zero,
            HttpStatusCode.ServiceUnavailable => asked,
            _ => null,
        };
    }
}
