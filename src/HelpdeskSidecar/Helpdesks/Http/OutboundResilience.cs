using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Telemetry;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>How patient one outbound client is: the timeout of one attempt and how many retries follow it.</summary>
/// <param name="PostsAreSafe">
/// The POSTs through this client change nothing (a model completion): a 5xx or a refused connection is retried like a
/// read. A timed-out attempt is still not repeated: the caller has a faster fallback than waiting for a slow server again.
/// </param>
internal sealed record OutboundLimits(TimeSpan AttemptTimeout, int MaxRetries = 3, bool PostsAreSafe = false);

/// <summary>
/// The standard resilience handler (Microsoft.Extensions.Http.Resilience) as every outbound HTTP client of ours uses it
/// (helpdesks, the model): a timeout per attempt, retries that honour <c>Retry-After</c>, a circuit breaker that counts
/// only the server's failures. Writes (non-GET) are retried only when the server said it did not process them
/// (429/503), so a timed-out write is never blindly repeated (the write-back looks for its marker first); a
/// <c>Retry-After</c> longer than <see cref="MaxInlineWait"/> is handed back to the caller to reschedule, not waited
/// out on a thread.
/// </summary>
internal static class OutboundResilience
{
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(5);

    public static IHttpClientBuilder AddOutboundResilience(this IHttpClientBuilder client, Func<IServiceProvider, OutboundLimits> limits)
    {
        client.AddStandardResilienceHandler()
            .Configure((options, sp) => Configure(options, limits(sp), sp.GetRequiredService<TimeProvider>()));
        // Polly would log every attempt, with the exception's stack trace; what a call came to is logged once by its
        // caller, in one line (NetworkFailure). Polly's metrics (attempts, retries, open circuits) stay.
        client.Services.AddOptions<TelemetryOptions>().PostConfigure(telemetry => telemetry.LoggerFactory = NullLoggerFactory.Instance);
        return client;
    }

    public static void Configure(HttpStandardResilienceOptions options, OutboundLimits limits, TimeProvider time)
    {
        var retries = Math.Max(0, limits.MaxRetries);
        options.AttemptTimeout.Timeout = limits.AttemptTimeout;
        // Every attempt may take its whole timeout, and every retry may wait out a short Retry-After.
        options.TotalRequestTimeout.Timeout = limits.AttemptTimeout * (retries + 1) + MaxInlineWait * retries + TimeSpan.FromSeconds(1);

        // The standard retry strategy needs at least one attempt; with none allowed, nothing is ever handled.
        options.Retry.MaxRetryAttempts = Math.Max(1, retries);
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.ShouldRetryAfterHeader = true;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(retries > 0 && ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), limits.PostsAreSafe, time));

        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 10;
        // The handler's own rule: the breaker samples at least two attempt timeouts.
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * limits.AttemptTimeout.TotalSeconds));
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        // A 429 (ours from the rate limiter, or the server's) says "slow down", not "broken".
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome));
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, bool postsAreSafe, TimeProvider time)
    {
        var isGet = request?.Method == HttpMethod.Get;
        var isRead = isGet || postsAreSafe;
        if (outcome.Exception is BrokenCircuitException)
            return false;
        if (outcome.Exception is TimeoutRejectedException)
            return isGet;
        if (outcome.Exception is HttpRequestException)
            return isRead;
        if (outcome.Result is not { } response)
            return false;
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            return RetryAfter(response, time) is not { } wait || wait <= MaxInlineWait;
        return isRead && (int)response.StatusCode >= 500;
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
