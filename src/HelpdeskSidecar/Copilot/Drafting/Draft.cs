namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>A cited knowledge source as numbered in the note.</summary>
internal sealed record CitedSource(int Number, long ArticleId, string Title, string? Url, string HeadingPath, double Score, IReadOnlyList<string> MatchedTerms);

/// <summary>What the drafter produced: a reply (or none, for a knowledge gap) and the sources it stands on.</summary>
internal sealed record Draft(string? Reply, IReadOnlyList<CitedSource> Sources, double Confidence, string Reason)
{
    public bool IsGap => Reply is null;

    /// <summary>The parts of <see cref="Confidence"/> when the offline drafter measured it; null for a model's own confidence.</summary>
    public DraftEvidence? Evidence { get; init; }

    /// <summary>The knowledge sentences an offline draft quotes, as quoted (without greeting, closing or [n] markers); empty otherwise.</summary>
    public IReadOnlyList<string> Quoted { get; init; } = [];
}
