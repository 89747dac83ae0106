using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using Polly;
using Polly.CircuitBreaker;
using Refit;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>
/// Turns what a helpdesk's Refit client answered into what the pipeline works with: a read's value (or a
/// <see cref="HelpdeskException"/> saying whether to retry and when), a write's <see cref="HelpdeskResult"/>.
/// Refit hands transport failures back inside the response (<see cref="ApiRequestException"/>); they are unwrapped
/// here so a log still reads "connection refused (127.0.0.1:1)", one line, no exception type.
/// </summary>
internal sealed class HelpdeskAnswers(string helpdesk, TimeProvider time)
{
    /// <summary>Without a <c>Retry-After</c>, an open circuit is tried again after its break.</summary>
    private static readonly TimeSpan CircuitBreak = TimeSpan.FromSeconds(15);

    /// <summary>The body of a successful read; anything else throws <see cref="HelpdeskException"/>.</summary>
    public async Task<T> ReadAsync<T>(Task<IApiResponse<T>> call, CancellationToken ct)
    {
        using var response = await call;
        return Read(response, ct);
    }

    /// <summary>As <see cref="ReadAsync{T}"/>, with <c>null</c> for a 404 (a record the helpdesk does not have, or not to us).</summary>
    public async Task<T?> FindAsync<T>(Task<IApiResponse<T>> call, CancellationToken ct) where T : class
    {
        try
        {
            return await ReadAsync(call, ct);
        }
        catch (HelpdeskException ex) when (ex.NotFound)
        {
            return null;
        }
    }

    /// <summary>The body of a successful read, for a caller that also needs the response (its headers) before disposing it.</summary>
    public T Read<T>(IApiResponse<T> response, CancellationToken ct)
    {
        if (!response.IsReceived || response.StatusCode is not { } status)
            throw Unreachable(response.Error, ct);
        var request = $"{response.RequestMessage?.Method ?? HttpMethod.Get} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        if (!response.IsSuccessStatusCode)
        {
            throw new HelpdeskException($"{helpdesk} answered {(int)status} to {request}.", IsTransient(status), DelayUntil(response.Headers))
            {
                NotFound = status == HttpStatusCode.NotFound,
            };
        }
        if (response.Error is { } error)
            throw new HelpdeskException($"{helpdesk} returned JSON we cannot read for {request}: {(error.InnerException ?? error).Message}", retryable: true);
        return response.Content ?? throw new HelpdeskException($"{helpdesk} returned an empty body for {request}.", retryable: true);
    }

    /// <summary>
    /// The result of a write (<paramref name="what"/>: "the note", "the tags"). A write that may or may not have
    /// happened (no answer) is transient: the write-back looks for its marker before trying again.
    /// </summary>
    public async Task<HelpdeskResult> WriteAsync<TResponse>(
        Task<TResponse> call, string what, string ticketId, CancellationToken ct, Func<TResponse, string?>? createdId = null)
        where TResponse : IApiResponse
    {
        using var response = await call;
        if (!response.IsReceived || response.StatusCode is not { } status)
        {
            var failure = Unreachable(response.Error, ct);
            return failure.DelayUntil is not null
                ? HelpdeskResult.Transient(failure.Message, failure.DelayUntil)
                : HelpdeskResult.Transient($"{Capitalized(what)} on ticket {ticketId} did not complete: {Describe(response.Error)}.");
        }
        if (response.IsSuccessStatusCode)
            return HelpdeskResult.Ok(createdId is null ? ticketId : createdId(response));
        var error = $"{helpdesk} answered {(int)status} to {what} on ticket {ticketId}.";
        return IsTransient(status) ? HelpdeskResult.Transient(error, DelayUntil(response.Headers)) : HelpdeskResult.Permanent(error);
    }

    /// <summary>No answer: an open circuit, a refused connection, a timeout; the caller's own cancellation is rethrown.</summary>
    private HelpdeskException Unreachable(Exception? error, CancellationToken ct)
    {
        var cause = error is ApiRequestException { InnerException: { } inner } ? inner : error;
        ct.ThrowIfCancellationRequested();
        return cause switch
        {
            BrokenCircuitException broken => new HelpdeskException(
                $"The {helpdesk} circuit is open.", retryable: true, time.GetUtcNow() + (broken.RetryAfter ?? CircuitBreak)),
            // A refused connection, a timed-out attempt or call, or the resilience handler's own concurrency limit.
            HttpRequestException or ExecutionRejectedException or TaskCanceledException =>
                new HelpdeskException($"{helpdesk} could not be reached: {NetworkFailure.Describe(cause)}.", retryable: true),
            null => new HelpdeskException($"{helpdesk} could not be reached.", retryable: true),
            _ => Rethrow(cause),
        };
    }

    private static string Describe(Exception? error) => error is null ? "no answer" : NetworkFailure.Describe(error);

    private static HelpdeskException Rethrow(Exception cause)
    {
        ExceptionDispatchInfo.Capture(cause).Throw();
        return null!;
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>When to try again, from <c>Retry-After</c> as seconds or as an HTTP date; null without one.</summary>
    private DateTimeOffset? DelayUntil(HttpResponseHeaders? headers) => headers?.RetryAfter switch
    {
        { Delta: { } delta } => time.GetUtcNow() + delta,
        { Date: { } date } => date > time.GetUtcNow() ? date : time.GetUtcNow(),
        _ => null,
    };
}
