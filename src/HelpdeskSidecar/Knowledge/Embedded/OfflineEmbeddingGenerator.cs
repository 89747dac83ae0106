using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>An embedder whose weights come from the corpus it serves; the index refits it after an import.</summary>
internal interface ICorpusFittedEmbedder
{
    string ModelName { get; }

    void Fit(IEnumerable<string> corpus);

    byte[] SaveState();

    void LoadState(byte[] state);
}

/// <summary>The offline default behind <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>: see <see cref="OfflineEmbeddingModel"/>.</summary>
internal sealed class OfflineEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>, ICorpusFittedEmbedder
{
    private static readonly EmbeddingGeneratorMetadata Metadata = new("offline", null, OfflineEmbeddingModel.Name, OfflineEmbeddingModel.Dimensions);

    private volatile OfflineEmbeddingModel _model = OfflineEmbeddingModel.Untrained;

    public string ModelName => OfflineEmbeddingModel.Name;

    public OfflineEmbeddingModel Model => _model;

    public void Fit(IEnumerable<string> corpus) => _model = OfflineEmbeddingModel.Fit(corpus);

    public byte[] SaveState() => _model.Serialize();

    public void LoadState(byte[] state) => _model = OfflineEmbeddingModel.Deserialize(state);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = _model;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(model.Embed(value)) { ModelId = OfflineEmbeddingModel.Name });
        }
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
