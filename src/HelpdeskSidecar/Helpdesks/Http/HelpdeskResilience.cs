using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>
/// The standard resilience handler (Microsoft.Extensions.Http.Resilience) tuned for a helpdesk account: a timeout per
/// attempt, retries that honour <c>Retry-After</c>, a circuit breaker that counts only the server's failures. Writes
/// (non-GET) are retried only when the server said it did not process them (429/503), so a timed-out write is never
/// blindly repeated (the write-back looks for its marker first); a <c>Retry-After</c> longer than
/// <see cref="MaxInlineWait"/> is handed back to the caller to reschedule, not waited out on a thread.
/// </summary>
internal static class HelpdeskResilience
{
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(5);

    private const int MaxRetries = 3;

    public static void Configure(HttpStandardResilienceOptions options, TimeSpan attemptTimeout, TimeProvider time)
    {
        options.AttemptTimeout.Timeout = attemptTimeout;
        // Every attempt may take its whole timeout, and every retry may wait out a short Retry-After.
        options.TotalRequestTimeout.Timeout = attemptTimeout * (MaxRetries + 1) + MaxInlineWait * MaxRetries;

        options.Retry.MaxRetryAttempts = MaxRetries;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.ShouldRetryAfterHeader = true;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), time));

        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 10;
        // The handler's own rule: the breaker samples at least two attempt timeouts.
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * attemptTimeout.TotalSeconds));
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        // A 429 (ours from the rate limiter, or the helpdesk's) says "slow down", not "broken".
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome));
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, TimeProvider time)
    {
        var isGet = request?.Method == HttpMethod.Get;
        if (outcome.Exception is BrokenCircuitException)
            return false;
        if (outcome.Exception is TimeoutRejectedException or HttpRequestException)
            return isGet;
        if (outcome.Result is not { } response)
            return false;
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            return RetryAfter(response, time) is not { } wait || wait <= MaxInlineWait;
        return isGet && (int)response.StatusCode >= 500;
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError };

    /// <summary>The wait a <c>Retry-After</c> asks for, as seconds or as an HTTP date.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };
}
