using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>What a drafter gets: the redacted ticket, its search terms, the passages policy let it retrieve, the reply language.</summary>
internal sealed record DraftInput(HelpdeskTicket RedactedTicket, IReadOnlyList<string> Terms, IReadOnlyList<KnowledgeHit> Hits, string? LanguageCode)
{
    /// <summary>Dense scores and the predicted intent, from which the offline drafter measures its confidence.</summary>
    public RetrievalEvidence Evidence { get; init; } = RetrievalEvidence.None;

    /// <summary>The query text (messages newest first): the offline drafter picks the sentences that answer its newest message.</summary>
    public string? Question { get; init; }

    /// <summary>
    /// Set when the sources are in another language than the customer's (the question was translated for retrieval):
    /// the model is told to answer in the customer's language all the same and to cite the sources as they are.
    /// </summary>
    public string? SourcesLanguageCode { get; init; }

    /// <summary>The requester's recent tickets (redacted): a model gets them as a context section of the prompt.</summary>
    public History.CustomerHistory? History { get; init; }
}

/// <summary>
/// What a drafter answered. <see cref="HumanReason"/> set: the model says a human must take over (no draft).
/// <see cref="DeclaredCitations"/>: the source numbers a model said it used, checked by the citations guardrail.
/// <see cref="Notice"/>: a line the note leads with (e.g. that the offline drafter answered because the model did not).
/// <see cref="Header"/>: replaces the offline drafter's description of a draft in the note.
/// </summary>
internal sealed record DraftOutcome(Draft Draft, string Drafter)
{
    public string? HumanReason { get; init; }
    public IReadOnlyList<int>? DeclaredCitations { get; init; }
    public string? Notice { get; init; }
    public string? Header { get; init; }
}

/// <summary>Writes the draft for one ticket: <see cref="OfflineDraftWriter"/> without a model, <see cref="LlmDrafter"/> with one.</summary>
internal interface IDraftWriter
{
    Task<DraftOutcome> DraftAsync(DraftInput input, ModelLedger ledger, CancellationToken ct);
}

/// <summary>
/// The offline drafter behind the <see cref="IDraftWriter"/> seam; registered when no chat model is configured. With a
/// sentence encoder (<see cref="SentenceRelevance"/>) it quotes the sentences that answer the question; without one,
/// those that share most of its words.
/// </summary>
internal sealed class OfflineDraftWriter(SentenceRelevance? relevance = null) : IDraftWriter
{
    public async Task<DraftOutcome> DraftAsync(DraftInput input, ModelLedger ledger, CancellationToken ct)
    {
        var scores = relevance is not null && input.Question is { } question && input.Hits.Count > 0
            ? await relevance.ScoreAsync(SentenceRelevance.QuestionOf(question), input.Hits, ct)
            : null;
        return new DraftOutcome(OfflineDrafter.Compose(input.RedactedTicket, input.Terms, input.Hits, input.Evidence, scores), OfflineDrafter.Version);
    }
}
