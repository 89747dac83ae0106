using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A loopback Qdrant speaking its gRPC API: Kestrel on 127.0.0.1:0, HTTP/2 only in plaintext (h2c, so clients use
/// <c>http://</c>), with the methods of the <c>qdrant.Collections</c> and <c>qdrant.Points</c> services that the index
/// calls bound to the package's own message types (Qdrant.Client.Grpc) through an <see cref="IServiceMethodProvider{TService}"/>.
/// Collections live in memory (<see cref="FakeCollection"/>). It refuses what a real Qdrant refuses, with the same gRPC
/// codes: an unknown collection (NOT_FOUND), a dense vector of the wrong size or a vector name the collection does not
/// have (INVALID_ARGUMENT), a call without the configured api-key (UNAUTHENTICATED); what it does not model fails loudly
/// (UNIMPLEMENTED). Every call is recorded with its request and its <c>api-key</c> metadata.
/// </summary>
public sealed class FakeQdrant : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FakeCollection> _collections = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(StatusCode Status, string Detail)> _failures = new();
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private readonly string? _apiKey;
    private WebApplication _app = null!;
    private bool _stopped;

    private FakeQdrant(string? apiKey) => _apiKey = apiKey;

    /// <summary>The gRPC endpoint, e.g. http://127.0.0.1:49152.</summary>
    public string BaseUrl => _app.Urls.First();

    public ConcurrentQueue<QdrantCall> Calls { get; } = new();

    public IReadOnlyDictionary<string, FakeCollection> Collections => _collections;

    /// <param name="apiKey">When set, every call must carry it as <c>api-key</c> metadata, as with Qdrant's <c>service.api_key</c>.</param>
    /// <param name="tls">When set, the fake serves TLS with this certificate (<see cref="BaseUrl"/> is then https), as with Qdrant's <c>service.enable_tls</c>.</param>
    public static async Task<FakeQdrant> StartAsync(string? apiKey = null, X509Certificate2? tls = null)
    {
        var fake = new FakeQdrant(apiKey);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (tls is not null)
                listen.UseHttps(tls);
        }));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IServiceMethodProvider<FakeQdrantService>>(new FakeQdrantMethods(fake));
        fake._app = builder.Build();
        fake._app.MapGrpcService<FakeQdrantService>();
        await fake._app.StartAsync();
        return fake;
    }

    /// <summary>The next <paramref name="times"/> calls (of any method) fail with this status, as Qdrant's own errors do.</summary>
    public void FailNext(StatusCode status, string detail, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _failures.Enqueue((status, detail));
    }

    /// <summary>The next <paramref name="times"/> calls are answered only after <paramref name="delay"/>, or abandoned when the client gives up first.</summary>
    public void DelayNext(TimeSpan delay, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _delays.Enqueue(delay);
    }

    /// <summary>The requests of the calls to <paramref name="method"/> ("Points/Upsert") that were answered, oldest first.</summary>
    public IReadOnlyList<T> RequestsTo<T>(string method) where T : IMessage =>
        Calls.Where(c => c.Method == method && c.Status == StatusCode.OK).Select(c => (T)c.Request).ToList();

    /// <summary>Stops listening, as a Qdrant that went down: connections to <see cref="BaseUrl"/> are refused from now on.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private TResponse Handle<TRequest, TResponse>(string method, TRequest request, ServerCallContext context, Func<TRequest, TResponse> handler)
        where TRequest : IMessage
    {
        var apiKey = context.RequestHeaders.GetValue("api-key") ?? "";
        var status = StatusCode.OK;
        try
        {
            if (_failures.TryDequeue(out var failure))
                throw new RpcException(new Status(failure.Status, failure.Detail));
            if (_apiKey is not null && !string.Equals(apiKey, _apiKey, StringComparison.Ordinal))
                throw new RpcException(new Status(StatusCode.Unauthenticated, apiKey.Length == 0 ? "Must provide an API key or an Authorization bearer token" : "Invalid API key or JWT"));
            lock (_collections)
                return handler(request);
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        catch (NotSupportedException ex)
        {
            status = StatusCode.Unimplemented;
            throw new RpcException(new Status(StatusCode.Unimplemented, "FakeQdrant: " + ex.Message));
        }
        finally
        {
            Calls.Enqueue(new QdrantCall(method, request, apiKey, status));
        }
    }

    private FakeCollection Collection(string name) =>
        _collections.TryGetValue(name, out var collection) ? collection
        : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));

    private static PointsOperationResponse Completed(FakeCollection collection) =>
        new() { Result = new UpdateResult { OperationId = collection.Version, Status = UpdateStatus.Completed }, Time = 0.0001 };

    /// <summary>Binds the methods by name to the package's message types, checked against its service descriptors.</summary>
    private sealed class FakeQdrantMethods(FakeQdrant fake) : IServiceMethodProvider<FakeQdrantService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FakeQdrantService> context)
        {
            var collections = Qdrant.Client.Grpc.Collections.Descriptor;
            var points = Points.Descriptor;
            Add<CollectionExistsRequest, CollectionExistsResponse>(context, collections, "CollectionExists",
                r => new() { Result = new CollectionExists { Exists = fake._collections.ContainsKey(r.CollectionName) }, Time = 0.0001 });
            Add<CreateCollection, CollectionOperationResponse>(context, collections, "Create", r =>
            {
                if (fake._collections.ContainsKey(r.CollectionName))
                    throw new RpcException(new Status(StatusCode.AlreadyExists, $"Collection `{r.CollectionName}` already exists!"));
                fake._collections[r.CollectionName] = new FakeCollection(r);
                return new() { Result = true, Time = 0.0001 };
            });
            Add<DeleteCollection, CollectionOperationResponse>(context, collections, "Delete",
                r => new() { Result = fake._collections.TryRemove(r.CollectionName, out _), Time = 0.0001 });
            Add<GetCollectionInfoRequest, GetCollectionInfoResponse>(context, collections, "Get",
                r => new() { Result = fake.Collection(r.CollectionName).Info(), Time = 0.0001 });
            Add<UpdateCollection, CollectionOperationResponse>(context, collections, "Update", r =>
            {
                fake.Collection(r.CollectionName).Update(r);
                return new() { Result = true, Time = 0.0001 };
            });
            Add<CreateFieldIndexCollection, PointsOperationResponse>(context, points, "CreateFieldIndex", r =>
            {
                var collection = fake.Collection(r.CollectionName);
                collection.PayloadIndexes[r.FieldName] = r.FieldType;
                return Completed(collection);
            });
            Add<UpsertPoints, PointsOperationResponse>(context, points, "Upsert", r =>
            {
                var collection = fake.Collection(r.CollectionName);
                collection.Upsert(r.Points);
                return Completed(collection);
            });
            Add<DeletePoints, PointsOperationResponse>(context, points, "Delete", r =>
            {
                var collection = fake.Collection(r.CollectionName);
                collection.Delete(r.Points);
                return Completed(collection);
            });
            Add<QueryPoints, QueryResponse>(context, points, "Query", r => new() { Result = { fake.Collection(r.CollectionName).RunQuery(r) }, Time = 0.0002 });
        }

        private void Add<TRequest, TResponse>(ServiceMethodProviderContext<FakeQdrantService> context, Google.Protobuf.Reflection.ServiceDescriptor service, string name, Func<TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>, new()
            where TResponse : class, IMessage<TResponse>, new()
        {
            var descriptor = service.FindMethodByName(name) ?? throw new InvalidOperationException($"{service.FullName} has no method {name}.");
            if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
                throw new InvalidOperationException($"{service.FullName}/{name} takes {descriptor.InputType.Name} and returns {descriptor.OutputType.Name}.");
            var method = new Method<TRequest, TResponse>(MethodType.Unary, service.FullName, name, Marshaller<TRequest>(), Marshaller<TResponse>());
            var recorded = $"{service.Name}/{name}";
            context.AddUnaryMethod(method, [], async (_, request, call) =>
            {
                if (fake._delays.TryDequeue(out var delay))
                {
                    try
                    {
                        await Task.Delay(delay, call.CancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        fake.Calls.Enqueue(new QdrantCall(recorded, request, call.RequestHeaders.GetValue("api-key") ?? "", StatusCode.Cancelled));
                        throw new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call"));
                    }
                }
                return fake.Handle(recorded, request, call, handler);
            });
        }

        private static Marshaller<T> Marshaller<T>() where T : class, IMessage<T>, new()
        {
            var parser = new MessageParser<T>(() => new T());
            return Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
        }
    }
}

/// <summary>The service type the fake's methods are registered under (they do not use its instance).</summary>
public sealed class FakeQdrantService;

/// <summary>One call the fake received: <see cref="Method"/> as "Points/Upsert", and how it was answered.</summary>
public sealed record QdrantCall(string Method, IMessage Request, string ApiKey, StatusCode Status);
