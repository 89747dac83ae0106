using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Ai.Encoders;

/// <summary>
/// Whether texts sent to an <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> are search queries or the passages
/// searched. Asymmetric encoders (arctic-embed) embed a query with an instruction prefix; passages, and every text of a
/// symmetric encoder, go as they are. The convention is the <c>input_type</c> additional property (as Cohere and Voyage
/// name it); generators that do not know it (the hashed one, an OpenAI endpoint) ignore it.
/// </summary>
internal static class EmbeddingInput
{
    public const string PropertyName = "input_type";

    public const string QueryValue = "query";

    /// <summary>Options marking the inputs as queries. Shared and never mutated: do not change it.</summary>
    public static EmbeddingGenerationOptions Query { get; } = new() { AdditionalProperties = new() { [PropertyName] = QueryValue } };

    public static bool IsQuery(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true
        && string.Equals(value as string, QueryValue, StringComparison.OrdinalIgnoreCase);
}
