using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Ai;

/// <summary>
/// Sends the inputs in batches of a fixed size and joins the answers in input order, with the usage summed; an answer
/// with another number of vectors than inputs is an error (a vector tied to the wrong chunk would corrupt the index).
/// </summary>
internal sealed class BatchingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, int batchSize)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count) { Usage = new UsageDetails { InputTokenCount = 0, TotalTokenCount = 0 } };
        foreach (var batch in inputs.Chunk(Math.Max(1, batchSize)))
        {
            var answer = await base.GenerateAsync(batch, options, cancellationToken);
            if (answer.Count != batch.Length)
                throw new InvalidOperationException($"The embeddings endpoint returned {answer.Count} vectors for {batch.Length} inputs.");
            result.AddRange(answer);
            result.Usage.InputTokenCount += answer.Usage?.InputTokenCount ?? 0;
            result.Usage.TotalTokenCount += answer.Usage?.TotalTokenCount ?? 0;
        }
        return result;
    }

}
