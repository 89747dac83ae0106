using Grpc.Core;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>
/// The fake against Qdrant's gRPC behaviour, called through the package's own client: it refuses what Qdrant refuses,
/// with Qdrant's codes and messages (qdrant v1.19: StorageError → tonic code in lib/storage/src/content_manager/conversions.rs,
/// NotFound → NOT_FOUND "Not found: Collection `c` doesn't exist!", BadInput → INVALID_ARGUMENT "Wrong input: …",
/// AlreadyExists → ALREADY_EXISTS; the api-key check in src/common/auth → UNAUTHENTICATED), and it models every call
/// the index makes (nothing it receives is answered UNIMPLEMENTED).
/// </summary>
[TestFixture]
public sealed class QdrantProtocolTests
{
    private const string Key = "protocol-key";

    private static async Task<(FakeQdrant Fake, QdrantClient Client)> StartWithCollectionAsync(string apiKey = Key)
    {
        var fake = await FakeQdrant.StartAsync(Key);
        var client = new QdrantClient(new Uri(fake.BaseUrl), apiKey);
        if (apiKey == Key)
        {
            await client.CreateCollectionAsync("c", new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 4, Distance = Distance.Cosine } } },
                sparseVectorsConfig: ("sparse", new SparseVectorParams { Modifier = Modifier.Idf }));
        }
        return (fake, client);
    }

    private static PointStruct Point(ulong id, string name, Vector vector) =>
        new() { Id = id, Vectors = new Vectors { Vectors_ = new NamedVectors { Vectors = { [name] = vector } } } };

    [Test]
    public async Task GetCollectionInfoAsync_UnknownCollection_NotFound()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;

        var error = Assert.ThrowsAsync<RpcException>(() => client.GetCollectionInfoAsync("missing"));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        Assert.That(error.Status.Detail, Is.EqualTo("Not found: Collection `missing` doesn't exist!"));
    }

    [Test]
    public async Task UpsertAsync_UnknownCollection_NotFound()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;

        var error = Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("missing", [Point(1, "dense", new[] { 1f, 0, 0, 0 })]));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task UpsertAsync_DenseVectorOfAnotherSize_InvalidArgumentAndNothingWritten()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;

        var error = Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("c", [Point(1, "dense", new[] { 1f, 0, 0, 0 }), Point(2, "dense", new[] { 1f, 0, 0 })]));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Is.EqualTo("Wrong input: Vector dimension error: expected dim: 4, got 3"));
        Assert.That(fake.Collections["c"].Points, Is.Empty, "a refused batch writes no point");
    }

    [Test]
    public async Task UpsertAsync_VectorNameNotInCollection_InvalidArgument()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;

        var error = Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("c", [Point(1, "colour", new[] { 1f, 0, 0, 0 })]));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Is.EqualTo("Wrong input: Not existing vector name error: colour"));
    }

    [Test]
    public async Task QueryAsync_PrefetchUsingVectorNotInCollection_InvalidArgument()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;
        await client.UpsertAsync("c", [Point(1, "dense", new[] { 1f, 0, 0, 0 })]);

        var error = Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("c", query: new Query { Fusion = Fusion.Rrf },
            prefetch: [new PrefetchQuery { Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 1f, 0, 0, 0 } } } }, Using = "bm25" }]));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Does.Contain("Not existing vector name error: bm25"));
    }

    [Test]
    public async Task QueryAsync_DenseQueryOfAnotherSize_InvalidArgument()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;

        var error = Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("c", query: new Query { Fusion = Fusion.Rrf },
            prefetch: [new PrefetchQuery { Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 1f, 0 } } } }, Using = "dense" }]));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Does.Contain("Vector dimension error: expected dim: 4, got 2"));
    }

    [Test]
    public async Task CreateCollectionAsync_NameTaken_AlreadyExists()
    {
        var (fake, client) = await StartWithCollectionAsync();
        await using var _ = fake;
        using var __ = client;

        var error = Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("c", new VectorParams { Size = 4, Distance = Distance.Cosine }));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.AlreadyExists));
        Assert.That(error.Status.Detail, Is.EqualTo("Collection `c` already exists!"));
    }

    [TestCase(null, "Must provide an API key or an Authorization bearer token", TestName = "CollectionExistsAsync_NoApiKey_Unauthenticated")]
    [TestCase("not-the-key", "Invalid API key or JWT", TestName = "CollectionExistsAsync_WrongApiKey_Unauthenticated")]
    public async Task CollectionExistsAsync_ApiKeyMissingOrWrong_Unauthenticated(string? apiKey, string detail)
    {
        await using var fake = await FakeQdrant.StartAsync(Key);
        using var client = new QdrantClient(new Uri(fake.BaseUrl), apiKey);

        var error = Assert.ThrowsAsync<RpcException>(() => client.CollectionExistsAsync("c"));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(error.Status.Detail, Is.EqualTo(detail));
        using var keyed = new QdrantClient(new Uri(fake.BaseUrl), Key);
        Assert.That(await keyed.CollectionExistsAsync("c"), Is.False, "with the key the same call is answered");
    }

    [Test]
    public async Task FullLifecycle_EveryCallTheIndexMakes_IsModelledAndAnswered()
    {
        await using var bed = await QdrantTestBed.StartAsync(batchSize: 2);
        await bed.AddAsync("refunds", "Refunds are paid within 14 days.", brand: "acme",
            more: [new ArticleSection("refunds › Cards", "Card refunds take five days."), new ArticleSection("refunds › Cash", "Cash refunds at the store.")]);
        await bed.AddAsync("internal", "Override code R-77.", visibility: KnowledgeVisibility.Agents, tier: KnowledgeTier.Internal, locale: "de");
        await bed.Index.RetrieveAsync(new RetrievalRequest("refund card days", 3) { Scope = new RetrievalScope { Brand = "acme", Locale = "de-CH" } }, CancellationToken.None);
        await bed.Index.RetrieveAsync(new RetrievalRequest("refund", 3) { Scope = new RetrievalScope { Visibility = KnowledgeVisibility.Agents, Tiers = [KnowledgeTier.Internal] } }, CancellationToken.None);
        await bed.AddAsync("refunds", "Refunds are paid within 10 days.", brand: "acme");
        await bed.Index.RemoveExternalAsync(1, CancellationToken.None);
        bed.Collection.Metadata.Clear(); // as a collection of an older sparse scheme: read, pushed again, marked
        await bed.Reopen().RetrieveAsync(new RetrievalRequest("refund", 3), CancellationToken.None);

        var calls = bed.Fake.Calls.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(c => c.Method).ToHashSet(), Is.EquivalentTo(new[]
            {
                "Collections/CollectionExists", "Collections/Create", "Points/CreateFieldIndex", "Points/Upsert",
                "Points/Query", "Points/Delete", "Collections/Get", "Collections/Update",
            }));
            Assert.That(calls.Where(c => c.Status != StatusCode.OK).Select(c => $"{c.Method}: {c.Status}"), Is.Empty);
            Assert.That(calls.Select(c => c.ApiKey), Is.All.EqualTo(QdrantTestBed.ApiKey));
        });
    }
}
