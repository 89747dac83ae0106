using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>
/// Hosts a Polly pipeline on an outbound HttpClient (Microsoft.Extensions.Http.Resilience is not available):
/// a timeout per attempt, retries that honour <c>Retry-After</c> on 429/503, and a circuit breaker.
/// Writes (non-GET) are retried only when the server said it did not process them (429/503), so a
/// timed-out write is never blindly repeated; the caller checks for it first.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    /// <summary>A longer <c>Retry-After</c> than this is returned to the caller to reschedule, not waited out on a thread.</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(5);

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <param name="postsAreSafe">
    /// The POSTs through this client change nothing (a model completion): a 5xx or a refused connection is retried like a
    /// read. A timed-out attempt is still not repeated: the caller has a faster fallback than waiting for a slow server again.
    /// </param>
    public ResilienceHandler(TimeSpan attemptTimeout, TimeProvider time, int maxRetries = 3, bool postsAreSafe = false)
    {
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, postsAreSafe)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
            })
            .AddTimeout(attemptTimeout)
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffer the body once: every attempt then sends the same bytes with a Content-Length header (JSON content
        // would otherwise go out chunked, which some proxies and API gateways refuse).
        if (request.Content is { } content)
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Handler.BaseSendAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false),
                context, (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken ct) => base.SendAsync(request, ct);

    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("request");

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, bool postsAreSafe)
    {
        var isGet = context.Properties.TryGetValue(RequestKey, out var request) && request.Method == HttpMethod.Get;
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
            return RetryAfterDelay(response) is not { } wait || wait <= MaxInlineWait;
        return isRead && (int)response.StatusCode >= 500;
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time) =>
        response is null ? null : RetryAfterDelay(response, time);

    /// <summary>The server's requested wait, from <c>Retry-After</c> as seconds or as an HTTP date.</summary>
    public static TimeSpan? RetryAfterDelay(HttpResponseMessage response, TimeProvider? time = null)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
            return delta;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - (time ?? TimeProvider.System).GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
