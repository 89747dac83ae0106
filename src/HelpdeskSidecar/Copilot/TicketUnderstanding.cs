namespace HelpdeskSidecar.Copilot;

/// <summary>
/// What the pipeline understood about a ticket before retrieving anything; part of the suggestion's trace.
/// Holds labels, scores and lexicon words only, never ticket text or the redacted values.
/// </summary>
internal sealed record TicketUnderstanding
{
    /// <summary>Distinct values replaced, by kind (<c>email</c>, <c>phone</c>, <c>card</c>…).</summary>
    public IReadOnlyDictionary<string, int> Redactions { get; init; } = new Dictionary<string, int>();

    public required string Redactor { get; init; }

    public string? Language { get; init; }

    public double LanguageConfidence { get; init; }

    public LabelScore? Intent { get; init; }

    public IReadOnlyList<LabelScore> Tags { get; init; } = [];

    /// <summary>The offline classifier rejects the ticket: its top intent is the out-of-scope one, or too unsure (below the fitted threshold).</summary>
    public bool OutOfScope { get; init; }

    public string? Classifier { get; init; }

    public Feeling? Sentiment { get; init; }

    public Feeling? Urgency { get; init; }
}

internal sealed record LabelScore(string Label, double Confidence);

/// <summary>A lexicon reading: a level, a score and the words that triggered it.</summary>
internal sealed record Feeling(string Level, double Score, IReadOnlyList<string> Triggers);
