using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Ai.Encoders;

/// <summary>
/// The offline dense default: an ONNX sentence encoder (<see cref="SentenceEncoderModel"/>) behind
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>. The model loads on the first call, once per process, however
/// many generators exist. Inputs marked as queries (<see cref="EmbeddingInput.Query"/>) get the model's query prefix;
/// everything else is embedded as a passage. The work is CPU-bound: it runs on the caller's thread pool thread.
/// </summary>
internal sealed class SentenceEmbeddingGenerator(SentenceEncoderModel model) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnx", null, model.Name, model.Dimensions);

    public SentenceEncoderModel Model => model;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        if (inputs.Count == 0)
            return Task.FromResult(result);
        var vectors = OnnxSentenceEncoder.For(model).Encode(inputs, EmbeddingInput.IsQuery(options), cancellationToken);
        foreach (var vector in vectors)
            result.Add(new Embedding<float>(vector) { ModelId = model.Name });
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>The session is the process's, shared by every generator: nothing to release here.</summary>
    public void Dispose()
    {
    }
}
