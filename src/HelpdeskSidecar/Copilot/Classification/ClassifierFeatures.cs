namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>Sentence vectors for the classifier, in batches, synchronously (the classifier trains on a worker thread).</summary>
internal interface ISentenceEncoder
{
    /// <summary>Short name for the classifier's version string (<c>arctic-xs</c>).</summary>
    string Name { get; }

    /// <summary>One unit-length vector per text, in order.</summary>
    float[][] Encode(IReadOnlyList<string> texts);
}

/// <summary>
/// The classifier's input: the hashed TF-IDF features of <see cref="TextFeaturizer"/> (indices below
/// <see cref="TextFeaturizer.Dimensions"/>) and, with an encoder, its sentence vector as a dense block after them,
/// scaled by the dense weight. Both blocks are unit length before the weight, so the linear model sees them on one scale.
/// The offline encoders are English models: a text mostly in another script (Arabic, Cyrillic, CJK) gets no sentence
/// vector, and the sparse features decide alone (on ArBanking77, MSA → Palestinian, the English vectors cost 0.11 accuracy).
/// </summary>
internal sealed class ClassifierFeatures
{
    private readonly TextFeaturizer _sparse;
    private readonly ISentenceEncoder? _encoder;
    private readonly float _denseWeight;
    private int _denseDimensions;

    private ClassifierFeatures(TextFeaturizer sparse, ISentenceEncoder? encoder, float denseWeight)
    {
        _sparse = sparse;
        _encoder = encoder;
        _denseWeight = denseWeight;
    }

    /// <summary>Feature indices run below this.</summary>
    public int Dimensions => TextFeaturizer.Dimensions + _denseDimensions;

    public static ClassifierFeatures Fit(IReadOnlyList<string> texts, ISentenceEncoder? encoder, float denseWeight) =>
        new(TextFeaturizer.Fit(texts), encoder, denseWeight);

    public string Describe(string version) => _encoder is null ? version : $"{version}+{_encoder.Name}";

    /// <summary>All texts at once (the encoder batches them).</summary>
    public List<SparseVector> TransformAll(IReadOnlyList<string> texts)
    {
        float[]?[] dense = new float[]?[texts.Count];
        if (_encoder is not null)
        {
            var readable = Enumerable.Range(0, texts.Count).Where(i => MostlyLatin(texts[i])).ToList();
            var vectors = readable.Count > 0 ? _encoder.Encode(readable.Select(i => texts[i]).ToList()) : [];
            for (var k = 0; k < readable.Count; k++)
                dense[readable[k]] = vectors[k];
            if (vectors.Length > 0)
                _denseDimensions = vectors[0].Length;
        }
        return texts.Select((t, i) => Combine(_sparse.Transform(t), dense[i])).ToList();
    }

    public SparseVector Transform(string text) =>
        Combine(_sparse.Transform(text), _encoder is not null && _denseDimensions > 0 && MostlyLatin(text) ? _encoder.Encode([text])[0] : null);

    /// <summary>The vector with its dense block multiplied by <paramref name="factor"/> (the same vector when 1 or without one).</summary>
    public static SparseVector ScaleDense(SparseVector x, float factor)
    {
        if (factor == 1f || x.Count == 0 || x.Indices[^1] < TextFeaturizer.Dimensions)
            return x;
        var values = (float[])x.Values.Clone();
        for (var i = 0; i < values.Length; i++)
        {
            if (x.Indices[i] >= TextFeaturizer.Dimensions)
                values[i] *= factor;
        }
        return new SparseVector(x.Indices, values);
    }

    /// <summary>At least half the letters are Latin (basic, supplement, extended A/B); a text without letters counts as Latin.</summary>
    internal static bool MostlyLatin(string text)
    {
        int letters = 0, latin = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
                continue;
            letters++;
            if (c < '\u0250')
                latin++;
        }
        return latin * 2 >= letters;
    }

    private SparseVector Combine(SparseVector sparse, float[]? dense)
    {
        if (dense is null)
            return sparse;
        var indices = new int[sparse.Count + dense.Length];
        var values = new float[indices.Length];
        sparse.Indices.CopyTo(indices, 0);
        sparse.Values.CopyTo(values, 0);
        for (var j = 0; j < dense.Length; j++)
        {
            indices[sparse.Count + j] = TextFeaturizer.Dimensions + j;
            values[sparse.Count + j] = dense[j] * _denseWeight;
        }
        return new SparseVector(indices, values);
    }
}
