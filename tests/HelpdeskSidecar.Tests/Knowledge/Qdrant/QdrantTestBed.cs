using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Knowledge.Qdrant;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>A real SQLite knowledge index whose vectors go to a loopback gRPC <see cref="FakeQdrant"/> through Qdrant.Client (api-key required).</summary>
internal sealed class QdrantTestBed : IAsyncDisposable
{
    public const string ApiKey = "test-qdrant-key-7f3a";

    private readonly TempDirectory _temp;
    private readonly QdrantCalls _calls;

    private Database _database = null!;
    private QdrantVectorIndex _qdrant = null!;

    private QdrantTestBed(TempDirectory temp, FakeQdrant fake, QdrantCalls calls, KnowledgeIndex index, QdrantOptions options)
    {
        _temp = temp;
        Fake = fake;
        _calls = calls;
        Index = index;
        Options = options;
    }

    public FakeQdrant Fake { get; }

    public KnowledgeIndex Index { get; }

    public QdrantOptions Options { get; }

    /// <summary>The collection the index writes to (after the first write).</summary>
    public FakeCollection Collection => Fake.Collections[Options.Collection];

    public static async Task<QdrantTestBed> StartAsync(int batchSize = 128, string collection = "kb_test", TimeSpan? timeout = null,
        Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embedder = null)
    {
        var fake = await FakeQdrant.StartAsync(ApiKey);
        var temp = new TempDirectory();
        var database = new Database(Microsoft.Extensions.Options.Options.Create(new SidecarOptions { DataDir = Path.Combine(temp.Path, "data") }));
        var options = new QdrantOptions { Url = fake.BaseUrl, ApiKey = ApiKey, Collection = collection, BatchSize = batchSize, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        var calls = new QdrantCalls(options, TimeProvider.System);
        var qdrant = new QdrantVectorIndex(calls, Microsoft.Extensions.Options.Options.Create(options), NullLogger<QdrantVectorIndex>.Instance);
        var index = new KnowledgeIndex(database, TimeProvider.System, embedder ?? new OfflineEmbeddingGenerator()).UseExternal(qdrant);
        return new QdrantTestBed(temp, fake, calls, index, options) { _database = database, _qdrant = qdrant };
    }

    /// <summary>The Qdrant backend itself, below the knowledge index.</summary>
    public IExternalVectorIndex External => _qdrant;

    /// <summary>A second index over the same SQLite file and Qdrant collection, with a fresh embedder: what a restarted process gets.</summary>
    public KnowledgeIndex Reopen(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embedder = null) =>
        new KnowledgeIndex(_database, TimeProvider.System, embedder ?? new OfflineEmbeddingGenerator()).UseExternal(_qdrant);

    public Task<UpsertOutcome> AddAsync(string id, string text, string? brand = null, KnowledgeVisibility visibility = KnowledgeVisibility.Public,
        KnowledgeTier tier = KnowledgeTier.Article, string locale = "en", params ArticleSection[] more) =>
        Index.UpsertAsync(new KnowledgeArticle("files", id, id, $"https://help.example/{id}", [new ArticleSection(id, text), .. more])
        {
            Brand = brand,
            Visibility = visibility,
            Tier = tier,
            Locale = locale,
        }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _calls.Dispose();
        await Fake.DisposeAsync();
        _temp.Dispose();
    }
}
