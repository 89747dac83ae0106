using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using QdrantGrpcClient = Qdrant.Client.Grpc.QdrantGrpcClient;
using QdrantSdk = Qdrant.Client.QdrantClient;

namespace HelpdeskSidecar.Knowledge.Qdrant;

/// <summary>
/// Qdrant.Client over one gRPC channel (<see cref="QdrantOptions.Url"/>: <c>http://</c> for plaintext HTTP/2, <c>https://</c>
/// for TLS), the <c>api-key</c> metadata on every call, and a Polly pipeline around each call: a timeout per attempt,
/// retries when Qdrant is unavailable or overloaded, a circuit breaker. A gRPC error that survives becomes a
/// <see cref="QdrantException"/>; a timeout or an open circuit stays Polly's, which retrieval treats as an outage.
/// </summary>
internal sealed class QdrantCalls : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ResiliencePipeline _pipeline;

    /// <param name="handler">The HTTP/2 transport; by default a pooled <see cref="SocketsHttpHandler"/> that trusts the system's CAs (tests pass one trusting their own certificate).</param>
    public QdrantCalls(QdrantOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        var url = options.Url ?? throw new InvalidOperationException("'Sidecar:Knowledge:Qdrant:Url' is required when 'Sidecar:Knowledge:Index' is Qdrant.");
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) },
            // A cancelled call throws OperationCanceledException, so Polly's timeout reports it as a timeout.
            ThrowOperationCanceledOnCancellation = true,
        });
        var invoker = _channel.CreateCallInvoker();
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            var apiKey = options.ApiKey;
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add("api-key", apiKey);
                return metadata;
            });
        }
        Client = new QdrantSdk(new QdrantGrpcClient(invoker));
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                // Unavailable: not processed (connection refused, server restarting); every call we make is idempotent
                // (upserts by id, deletes by filter, reads), and a repeated create is refused, not duplicated.
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => QdrantException.ToHttp(e.StatusCode) >= System.Net.HttpStatusCode.InternalServerError)
                    .Handle<TimeoutRejectedException>(),
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    /// <summary>The package's client; call it through <see cref="RunAsync{T}"/>.</summary>
    private QdrantSdk Client { get; }

    public async Task<T> RunAsync<T>(Func<QdrantSdk, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(static async (state, token) => await state.call(state.Client, token), (call, Client), ct);
        }
        catch (RpcException ex)
        {
            throw new QdrantException(ex.StatusCode, ex.Status.Detail, ex);
        }
        catch (global::Qdrant.Client.QdrantException ex)
        {
            // The call succeeded but Qdrant did not apply it (a create answered `false`).
            throw new QdrantException(StatusCode.Internal, ex.Message, ex);
        }
    }

    public Task RunAsync(Func<QdrantSdk, CancellationToken, Task> call, CancellationToken ct) =>
        RunAsync(async (client, token) =>
        {
            await call(client, token);
            return true;
        }, ct);

    public void Dispose() => _channel.Dispose();
}
