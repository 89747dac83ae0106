using HelpdeskSidecar.Ai.Encoders;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// The classifier's sentence vectors from any <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> (the ONNX encoder,
/// the hashed one, an OpenAI-compatible endpoint). Texts are embedded as passages, the same way at training and at
/// prediction (the query prefix is for retrieval), and re-normalised to unit length.
/// </summary>
internal sealed class EmbeddingSentenceEncoder(IEmbeddingGenerator<string, Embedding<float>> generator, string name) : ISentenceEncoder
{
    /// <summary>Texts per call at training time, so that a long history does not hold every intermediate tensor at once.</summary>
    public const int Chunk = 512;

    public string Name => name;

    public float[][] Encode(IReadOnlyList<string> texts)
    {
        var result = new List<float[]>(texts.Count);
        foreach (var chunk in texts.Chunk(Chunk))
        {
            // CPU-bound and synchronous underneath (the ONNX session); the classifier trains and predicts off the request path.
            var embeddings = generator.GenerateAsync(chunk).GetAwaiter().GetResult();
            foreach (var embedding in embeddings)
            {
                var vector = embedding.Vector.ToArray();
                var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
                if (norm > 0 && float.IsFinite(norm))
                    System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
                result.Add(vector);
            }
        }
        return [.. result];
    }

    /// <summary>The ONNX encoder by its name (<c>arctic-xs</c>, <c>minilm</c>); null for <c>none</c>.</summary>
    public static ISentenceEncoder? Offline(string name) =>
        string.Equals(name, "none", StringComparison.OrdinalIgnoreCase) ? null
        : SentenceEncoderModel.Find(name) is { } model ? new EmbeddingSentenceEncoder(new SentenceEmbeddingGenerator(model), model.Name)
        : throw new ArgumentException($"'{name}' is not a sentence encoder (none, {string.Join(", ", SentenceEncoderModel.All.Select(m => m.Name))}).", nameof(name));
}
