using System.Text.Json.Nodes;
using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.Contracts;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelpdeskSidecar.Tests.Ai;

[TestFixture]
public sealed class OpenAiEmbeddingGeneratorTests
{
    private static IEmbeddingGenerator<string, Embedding<float>> Create(FakeOpenAi fake, HttpClient http, int batchSize = 64) =>
        OpenAiModels.Embeddings(http, new LlmOptions { BaseUrl = fake.BaseUrl + "/v1", ApiKey = "sk-test-123", EmbeddingModel = "text-embedding-3-small", EmbeddingBatchSize = batchSize },
            NullLoggerFactory.Instance);

    [Test]
    public async Task GenerateAsync_ThreeTexts_PostsModelAndInputArrayAndReturnsVectorsInInputOrder()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        using var http = new HttpClient(new EmbeddingsInIndexOrderHandler { InnerHandler = new HttpClientHandler() });
        string[] texts = ["refund policy", "parcel lost in transit", "reset my password please"];

        var embeddings = await Create(fake, http).GenerateAsync(texts);

        Assert.That(embeddings, Has.Count.EqualTo(3));
        for (var i = 0; i < texts.Length; i++)
            Assert.That(embeddings[i].Vector.ToArray(), Is.EqualTo(FakeOpenAi.VectorFor(texts[i])), $"vector {i} belongs to input {i}");
        var request = fake.Requests.Single();
        var body = JsonNode.Parse(request.Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/v1/embeddings"));
            Assert.That(request.Authorization, Is.EqualTo("Bearer sk-test-123"));
            Assert.That((string?)body["model"], Is.EqualTo("text-embedding-3-small"));
            Assert.That(body["input"]!.AsArray().Select(i => (string?)i), Is.EqualTo(texts));
            Assert.That(embeddings.Usage?.InputTokenCount, Is.EqualTo(texts.Sum(FakeOpenAi.TokensFor)));
            Assert.That(embeddings[0].ModelId, Is.EqualTo("text-embedding-3-small"));
        });
    }

    [Test]
    public async Task GenerateAsync_MoreTextsThanBatchSize_SendsBatchesAndSumsUsage()
    {
        await using var fake = await FakeOpenAi.StartAsync();
        using var http = new HttpClient(new EmbeddingsInIndexOrderHandler { InnerHandler = new HttpClientHandler() });
        var texts = Enumerable.Range(1, 5).Select(i => $"question number {i} {new string('x', i)}").ToArray();

        var embeddings = await Create(fake, http, batchSize: 2).GenerateAsync(texts);

        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests.Select(r => JsonNode.Parse(r.Body)!["input"]!.AsArray().Count), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(embeddings.Select(e => e.Vector.ToArray()), Is.EqualTo(texts.Select(FakeOpenAi.VectorFor)));
            Assert.That(embeddings.Usage?.TotalTokenCount, Is.EqualTo(texts.Sum(FakeOpenAi.TokensFor)));
        });
    }

    [Test]
    public async Task GenerateAsync_Requests_ValidateAgainstOpenAiSpec()
    {
        var contract = OpenAiEmbeddingsContract.TryLoad();
        if (contract is null)
            Assert.Ignore("OpenAI contract not found: shared/contracts/openai/openapi.yaml is not shipped with the repository.");
        await using var fake = await FakeOpenAi.StartAsync();
        using var http = new HttpClient(new EmbeddingsInIndexOrderHandler { InnerHandler = new HttpClientHandler() });
        await Create(fake, http).GenerateAsync(["where is my parcel", "cancel my order"]);

        Assert.That(fake.Requests, Is.Not.Empty);
        Assert.That(fake.Requests.SelectMany(r => contract!.Validate(r.Body)), Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(contract!.Validate("""{"model": "m", "input": ["a"], "encodng_format": "float"}"""), Is.Not.Empty, "negative control: undeclared property");
            Assert.That(contract.Validate("""{"model": "m", "input": ["a"], "encoding_format": "hex"}"""), Is.Not.Empty, "negative control: encoding_format");
            Assert.That(contract.Validate("""{"input": ["a"]}"""), Is.Not.Empty, "negative control: model missing");
        });
    }

    [Test]
    public void AddAi_EmbeddingModelSet_ReplacesOfflineEmbedder()
    {
        IEmbeddingGenerator<string, Embedding<float>> Resolve(Dictionary<string, string?> settings)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.AddAi().AddKnowledge();
            return builder.Build().Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        }

        Assert.Multiple(() =>
        {
            Assert.That(Resolve(new() { ["Sidecar:Llm:EmbeddingModel"] = "nomic-embed-text", ["Sidecar:Llm:BaseUrl"] = "http://127.0.0.1:9/v1" })
                .GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId, Is.EqualTo("nomic-embed-text"));
            Assert.That(Resolve([]).GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId, Is.Not.EqualTo("nomic-embed-text"));
        });
    }
}
