namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>
/// Keeps the vectors of the last training batch, so that retraining after an import embeds only the texts that are new
/// (embedding is nearly all of a training's time: ~90 texts a second on a busy 2-core machine). Holds one history's
/// vectors at most (384 floats a text); single texts (predictions) pass straight through.
/// </summary>
internal sealed class RememberingSentenceEncoder(ISentenceEncoder inner) : ISentenceEncoder
{
    private readonly Lock _gate = new();
    private Dictionary<string, float[]> _last = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    /// <summary>Texts the inner encoder was asked to embed, over this instance's life.</summary>
    public int Embedded { get; private set; }

    public float[][] Encode(IReadOnlyList<string> texts)
    {
        if (texts.Count <= 1)
            return inner.Encode(texts);
        Dictionary<string, float[]> known;
        lock (_gate)
            known = _last;
        var missing = texts.Where(t => !known.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        var fresh = missing.Count > 0 ? inner.Encode(missing) : [];
        var next = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < missing.Count; i++)
            next[missing[i]] = fresh[i];
        foreach (var text in texts)
            next.TryAdd(text, known.GetValueOrDefault(text)!);
        lock (_gate)
        {
            _last = next;
            Embedded += missing.Count;
        }
        return texts.Select(t => next[t]).ToArray();
    }
}
