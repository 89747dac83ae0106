using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Qdrant;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>Configuration → DI: Index=Qdrant sends the index's writes and queries to Qdrant's gRPC endpoint through Qdrant.Client.</summary>
[TestFixture]
public sealed class QdrantWiringTests
{
    private static IHost Build(TempDirectory temp, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sidecar:DataDir"] = Path.Combine(temp.Path, "data") });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSidecarOptions().AddStorage();
        builder.AddKnowledge();
        return builder.Build();
    }

    [Test]
    public async Task AddKnowledge_IndexQdrant_UpsertsAndQueriesGoToQdrantWithApiKey()
    {
        await using var fake = await FakeQdrant.StartAsync("wired-key");
        using var temp = new TempDirectory();
        using var host = Build(temp, new()
        {
            ["Sidecar:Knowledge:Index"] = "Qdrant",
            ["Sidecar:Knowledge:Qdrant:Url"] = fake.BaseUrl,
            ["Sidecar:Knowledge:Qdrant:ApiKey"] = "wired-key",
            ["Sidecar:Knowledge:Qdrant:Collection"] = "wired",
        });
        var index = host.Services.GetRequiredService<KnowledgeIndex>();

        await index.UpsertAsync(new KnowledgeArticle("files", "a", "Refunds", null, [new ArticleSection("Refunds", "Refunds take five days.")]), CancellationToken.None);
        var passages = await index.RetrieveAsync(new RetrievalRequest("refunds days", 3), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(index.UsesExternal, Is.True);
            Assert.That(fake.Collections["wired"].Points, Has.Count.EqualTo(1));
            Assert.That(passages.Select(p => p.Hit.Title), Is.EqualTo(new[] { "Refunds" }));
            Assert.That(fake.RequestsTo<global::Qdrant.Client.Grpc.QueryPoints>("Points/Query"), Has.Count.EqualTo(1));
            Assert.That(fake.Calls.Select(c => c.ApiKey), Has.All.EqualTo("wired-key"));
        });
    }

    [Test]
    public async Task AddKnowledge_QdrantWantsAnotherApiKey_UnauthenticatedSurfacesAsQdrantException()
    {
        await using var fake = await FakeQdrant.StartAsync("the-right-key");
        using var temp = new TempDirectory();
        using var host = Build(temp, new()
        {
            ["Sidecar:Knowledge:Index"] = "Qdrant",
            ["Sidecar:Knowledge:Qdrant:Url"] = fake.BaseUrl,
            ["Sidecar:Knowledge:Qdrant:ApiKey"] = "a-wrong-key",
        });
        var index = host.Services.GetRequiredService<KnowledgeIndex>();

        var error = Assert.ThrowsAsync<QdrantException>(() => index.UpsertAsync(
            new KnowledgeArticle("files", "a", "Refunds", null, [new ArticleSection("Refunds", "Refunds take five days.")]), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.GrpcStatus, Is.EqualTo(Grpc.Core.StatusCode.Unauthenticated));
            Assert.That(error.Status, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
            Assert.That(error.Message, Does.Not.Contain("a-wrong-key").And.Not.Contain("the-right-key"));
            Assert.That(fake.Collections, Is.Empty);
        });
    }

    [Test]
    public void AddKnowledge_IndexEmbedded_UsesNoExternalIndex()
    {
        using var temp = new TempDirectory();
        using var host = Build(temp, []);
        Assert.That(host.Services.GetRequiredService<KnowledgeIndex>().UsesExternal, Is.False);
    }

    [TestCase("Qdrant", null, false)]
    [TestCase("Qdrant", "not a url", false)]
    [TestCase("Qdrant", "http://qdrant:6334", true)]
    [TestCase("Qdrant", "https://qdrant.example.com:6334", true)]
    [TestCase("Embedded", null, true)]
    [TestCase("Elastic", null, false)]
    public void Validator_KnowledgeIndex_AcceptsEmbeddedOrQdrantWithUrl(string index, string? url, bool valid)
    {
        var options = new SidecarOptions { Knowledge = { Index = index, Qdrant = { Url = url } } };
        var result = new SidecarOptionsValidator().Validate(options);
        Assert.That(result.IsValid, Is.EqualTo(valid), string.Join("; ", result.Errors));
        if (!valid)
            Assert.That(result.Errors.Select(e => e.ErrorMessage), Has.Some.Contains("Sidecar:Knowledge:"), "the message names the bad key");
    }
}

[TestFixture]
public sealed class BatchSizeValidationTests
{
    [TestCase(0, 64, false)]
    [TestCase(128, 0, false)]
    [TestCase(128, 2049, false)]
    [TestCase(128, 2048, true)]
    public void Validator_BatchSizes_AreBounded(int qdrantBatch, int embeddingBatch, bool valid)
    {
        var options = new SidecarOptions { Knowledge = { Qdrant = { BatchSize = qdrantBatch } }, Llm = { EmbeddingBatchSize = embeddingBatch } };
        var result = new SidecarOptionsValidator().Validate(options);
        Assert.That(result.IsValid, Is.EqualTo(valid), string.Join("; ", result.Errors));
    }
}
