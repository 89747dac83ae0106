using HelpdeskSidecar.Ai.Encoders;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// Which sentence encoder the classifier uses beside its sparse features (<c>Sidecar:Copilot:ClassifierEncoder</c>, and
/// <c>--encoder</c> of the eval commands). <c>minilm</c> by default: on the tuning slices (docs/benchmarks.md) it beat
/// arctic-xs for tags (NLU++ banking 0.82 vs 0.79 micro-F1) and matched it for intents; <c>none</c> loads no model.
/// </summary>
internal static class ClassifierEncoders
{
    public const string Default = "minilm";
    public const string None = "none";

    public static IReadOnlyList<string> Names { get; } = [.. SentenceEncoderModel.All.Select(m => m.Name), None];

    public static bool IsKnown(string? name) => name is not null && Names.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The encoder by name; null for <c>none</c>; an unknown name throws <see cref="ArgumentException"/>.</summary>
    public static ISentenceEncoder? Create(string name) => EmbeddingSentenceEncoder.Offline(name.Trim());
}
