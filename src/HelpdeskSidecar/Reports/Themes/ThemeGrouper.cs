using HelpdeskSidecar.Ai.Encoders;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>Texts grouped into themes: a cluster number per text (0 = largest) and each cluster's characteristic words.</summary>
internal sealed record ThemeGrouping(int[] Labels, IReadOnlyList<IReadOnlyList<string>> Words)
{
    public int Count => Words.Count;
}

/// <summary>
/// The one way texts become themes, shared by <c>report themes</c>, the API, the console and <c>eval themes</c>: encode
/// with a sentence encoder (unit vectors), cluster (<see cref="ThemeClustering"/>), name (<see cref="ThemeNaming"/>).
/// </summary>
internal static class ThemeGrouper
{
    public static ThemeGrouping Group(IReadOnlyList<string> texts, ISentenceEncoder encoder, ThemeClusteringSettings settings)
    {
        if (texts.Count == 0)
            return new ThemeGrouping([], []);
        var vectors = encoder.Encode(texts);
        var labels = ThemeClustering.Cluster(vectors, settings);
        return new ThemeGrouping(labels, ThemeNaming.Name(texts, labels));
    }

    /// <summary>
    /// The encoder by name: <c>minilm</c> (default: trained for sentence similarity, which is what grouping needs),
    /// <c>arctic-xs</c>, or <c>hashed</c> (no model: a bag of words and character grams fitted on the texts themselves; fast, weaker).
    /// </summary>
    public static ISentenceEncoder Encoder(string name, IReadOnlyList<string> texts)
    {
        if (string.Equals(name, EncoderChoice.Hashed, StringComparison.OrdinalIgnoreCase))
        {
            var hashed = new OfflineEmbeddingGenerator();
            hashed.Fit(texts);
            return new EmbeddingSentenceEncoder(hashed, EncoderChoice.Hashed);
        }
        return SentenceEncoderModel.Find(name) is { } model
            ? new EmbeddingSentenceEncoder(new SentenceEmbeddingGenerator(model), model.Name)
            : throw new ArgumentException($"'{name}' is not a theme encoder ({string.Join(", ", Encoders)}).", nameof(name));
    }

    public const string DefaultEncoder = "minilm";

    public static IReadOnlyList<string> Encoders { get; } = [.. SentenceEncoderModel.All.Select(m => m.Name), EncoderChoice.Hashed];
}
