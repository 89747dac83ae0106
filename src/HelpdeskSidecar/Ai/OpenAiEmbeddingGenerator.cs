using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Embeddings;
using MeaiOptions = Microsoft.Extensions.AI.EmbeddingGenerationOptions;
using SdkOptions = OpenAI.Embeddings.EmbeddingGenerationOptions;

namespace HelpdeskSidecar.Ai;

/// <summary>
/// Embeddings from any OpenAI-compatible <c>/v1/embeddings</c> endpoint (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio)
/// through the OpenAI SDK, behind the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> seam. Inputs are sent in
/// batches of <see cref="LlmOptions.EmbeddingBatchSize"/>; the SDK's own retries are off because the HttpClient's
/// resilience handler already retries.
/// </summary>
internal sealed partial class OpenAiEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingClient _client;
    private readonly LlmOptions _options;
    private readonly ILogger<OpenAiEmbeddingGenerator> _logger;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public OpenAiEmbeddingGenerator(HttpClient http, IOptions<LlmOptions> options, ILogger<OpenAiEmbeddingGenerator> logger)
    {
        _options = options.Value;
        _logger = logger;
        var model = _options.EmbeddingModel ?? throw new InvalidOperationException("'Sidecar:Llm:EmbeddingModel' is required for the OpenAI embedder.");
        var clientOptions = OpenAiConnection.ClientOptions(http, _options);
        _client = new EmbeddingClient(model, OpenAiConnection.Credential(_options), clientOptions);
        _metadata = new EmbeddingGeneratorMetadata(_options.Provider, clientOptions.Endpoint, model);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, MeaiOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count) { Usage = new UsageDetails { InputTokenCount = 0, TotalTokenCount = 0 } };
        var sdkOptions = options?.Dimensions is { } dimensions ? new SdkOptions { Dimensions = dimensions } : null;
        foreach (var batch in inputs.Chunk(Math.Max(1, _options.EmbeddingBatchSize)))
        {
            var response = (await _client.GenerateEmbeddingsAsync(batch, sdkOptions, cancellationToken)).Value;
            if (response.Count != batch.Length)
                throw new InvalidOperationException($"The embeddings endpoint returned {response.Count} vectors for {batch.Length} inputs.");
            // The API promises one item per input with its index; order by it rather than trusting the array order.
            foreach (var item in response.OrderBy(e => e.Index))
                result.Add(new Embedding<float>(item.ToFloats()) { ModelId = response.Model });
            result.Usage.InputTokenCount += response.Usage?.InputTokenCount ?? 0;
            result.Usage.TotalTokenCount += response.Usage?.TotalTokenCount ?? 0;
            LogBatch(_logger, batch.Length, response.Model ?? _options.EmbeddingModel!, response.Usage?.TotalTokenCount ?? 0);
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the factory that made it.
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedded {Count} texts with {Model} ({Tokens} tokens)")]
    private static partial void LogBatch(ILogger logger, int count, string model, long tokens);
}
