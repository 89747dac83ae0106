using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Ai.Encoders;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HelpdeskSidecar.Tests.Ai.Encoders;

public class EncoderChoiceTests
{
    private static IEmbeddingGenerator<string, Embedding<float>> Resolve(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddAi().AddKnowledge();
        return builder.Build().Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
    }

    [Test]
    public void AddKnowledge_NothingConfigured_ArcticXsEncoder()
    {
        var embedder = Resolve([]);

        Assert.That(embedder, Is.TypeOf<SentenceEmbeddingGenerator>());
        Assert.That(embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId, Is.EqualTo("arctic-xs"));
        Assert.That(embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions, Is.EqualTo(384));
    }

    [TestCase("minilm", "minilm")]
    [TestCase("MiniLM", "minilm")]
    [TestCase("hashed", OfflineEmbeddingModel.Name)]
    [TestCase("arctic-xs", "arctic-xs")]
    public void AddKnowledge_EncoderNamed_ThatEmbedderEvenWithAnEmbeddingModelSet(string encoder, string modelId)
    {
        var embedder = Resolve(new() { [EncoderChoice.Key] = encoder, ["Sidecar:Llm:EmbeddingModel"] = "nomic-embed-text", ["Sidecar:Llm:BaseUrl"] = "http://127.0.0.1:9/v1" });

        Assert.That(embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId, Is.EqualTo(modelId));
    }

    [TestCase("openai")]
    [TestCase(null)]
    public void AddKnowledge_OpenAiOrUnsetWithAnEmbeddingModel_TheEndpointsEmbedder(string? encoder)
    {
        var embedder = Resolve(new() { [EncoderChoice.Key] = encoder, ["Sidecar:Llm:EmbeddingModel"] = "nomic-embed-text", ["Sidecar:Llm:BaseUrl"] = "http://127.0.0.1:9/v1" });

        Assert.That(embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId, Is.EqualTo("nomic-embed-text"));
    }

    [Test]
    public void Validate_UnknownEncoder_RefusedNamingTheKeyAndTheChoices()
    {
        var options = new SidecarOptions();
        options.Knowledge.Encoder = "bert-large";

        var message = new SidecarOptionsValidator().Validate(options).Errors.Select(e => e.ErrorMessage).Single();

        Assert.That(message, Is.EqualTo("'Sidecar:Knowledge:Encoder' must be one of arctic-xs, minilm, hashed, openai."));
    }

    [Test]
    public void Validate_OpenAiWithoutEmbeddingModel_RefusedNamingTheMissingKey()
    {
        var options = new SidecarOptions();
        options.Knowledge.Encoder = "openai";

        var message = new SidecarOptionsValidator().Validate(options).Errors.Select(e => e.ErrorMessage).Single();

        Assert.That(message, Is.EqualTo("'Sidecar:Llm:EmbeddingModel' is required when 'Sidecar:Knowledge:Encoder' is openai."));
    }
}
