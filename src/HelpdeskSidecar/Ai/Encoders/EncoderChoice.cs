using HelpdeskSidecar.Knowledge.Embedded;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Ai.Encoders;

/// <summary>
/// <c>Sidecar:Knowledge:Encoder</c>: which embedder gives the knowledge index (and anything else wanting sentence vectors)
/// its dense vectors. <c>arctic-xs</c> (default) or <c>minilm</c>: an ONNX sentence encoder shipped in a package, offline;
/// <c>hashed</c>: the corpus-fitted hashed bag of words and character grams (no model, instant, weaker);
/// <c>openai</c>: the OpenAI-compatible endpoint of <c>Sidecar:Llm</c> (needs <c>Sidecar:Llm:EmbeddingModel</c>).
/// Left unset it is <c>openai</c> when an embedding model is configured (as before the key existed), else <c>arctic-xs</c>.
/// </summary>
internal static class EncoderChoice
{
    public const string Key = "Sidecar:Knowledge:Encoder";
    public const string Hashed = "hashed";
    public const string OpenAi = "openai";
    public const string Default = "arctic-xs";

    public static IReadOnlyList<string> Names { get; } = [.. SentenceEncoderModel.All.Select(m => m.Name), Hashed, OpenAi];

    /// <summary>The configured choice, lower case; unknown names are returned as given (the options validator names them).</summary>
    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[Key];
        if (!string.IsNullOrWhiteSpace(configured))
            return configured.Trim().ToLowerInvariant();
        return string.IsNullOrWhiteSpace(configuration["Sidecar:Llm:EmbeddingModel"]) ? Default : OpenAi;
    }

    public static bool IsKnown(string? name) =>
        string.IsNullOrWhiteSpace(name) || Names.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>An offline embedder by name (<c>arctic-xs</c>, <c>minilm</c>, <c>hashed</c>), for commands that build their own index.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateOffline(string name) =>
        SentenceEncoderModel.Find(name) is { } model ? new SentenceEmbeddingGenerator(model)
        : string.Equals(name, Hashed, StringComparison.OrdinalIgnoreCase) ? new OfflineEmbeddingGenerator()
        : throw new ArgumentException($"'{name}' is not an offline encoder (arctic-xs, minilm, hashed).", nameof(name));
}
