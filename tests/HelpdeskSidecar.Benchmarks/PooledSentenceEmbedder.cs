using System.Numerics.Tensors;
using HelpdeskSidecar.Ai.Encoders;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// For the retrieval benchmark at 100,000 chunks: a passage's vector is the normalised mean of the real encoder's vectors
/// of its sentences (each pool sentence embedded once, up front); a query goes to the real encoder every time, so its
/// cost is measured. The index scans these vectors exactly as it would real chunk vectors (same size, same spread).
/// </summary>
internal sealed class PooledSentenceEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly SentenceEmbeddingGenerator _encoder;
    private readonly Dictionary<string, float[]> _sentences;

    private PooledSentenceEmbedder(SentenceEmbeddingGenerator encoder, Dictionary<string, float[]> sentences)
    {
        _encoder = encoder;
        _sentences = sentences;
    }

    public static async Task<PooledSentenceEmbedder> CreateAsync(SentenceEmbeddingGenerator encoder, IReadOnlyList<string> pool)
    {
        var vectors = await encoder.GenerateAsync(pool);
        return new PooledSentenceEmbedder(encoder, pool.Select((s, i) => (s, vectors[i].Vector.ToArray())).ToDictionary(p => p.s, p => p.Item2, StringComparer.Ordinal));
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (EmbeddingInput.IsQuery(options))
            return await _encoder.GenerateAsync(values, options, cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            var vector = new float[_encoder.Model.Dimensions];
            foreach (var part in text.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var key = part.EndsWith('.') ? part : part + ".";
                if (_sentences.TryGetValue(key, out var known))
                    TensorPrimitives.Add(vector, known, vector);
            }
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
                TensorPrimitives.Divide(vector, norm, vector);
            else
                vector[0] = 1; // a title-only text: any unit vector
            result.Add(new Embedding<float>(vector) { ModelId = _encoder.Model.Name });
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => _encoder.GetService(serviceType, serviceKey);

    public void Dispose()
    {
    }
}
