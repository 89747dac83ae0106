using HelpdeskSidecar.Ai;

namespace HelpdeskSidecar.Copilot.Classification;

/// <summary>The labels a model may choose from: the trained classifier's intents and tags (empty without history).</summary>
internal sealed record Taxonomy(IReadOnlyList<string> Intents, IReadOnlyList<string> Tags);

/// <summary>A model's reading of a ticket, every label inside the taxonomy; null intent when none fits.</summary>
internal sealed record ModelReading(string? Intent, IReadOnlyList<string> Tags, string Sentiment, string Urgency, double Confidence, string By);

/// <summary>
/// Classification by a model, constrained to the known taxonomy: <see cref="LlmTicketClassifier"/> with a chat model,
/// <see cref="NoModelReader"/> (never answers) without one. A null answer means the offline readers' labels stand.
/// </summary>
internal interface ITicketModelReader
{
    Task<ModelReading?> ReadAsync(string redactedText, Taxonomy taxonomy, ModelLedger ledger, CancellationToken ct);
}

/// <summary>No chat model configured: nothing to ask, the offline classifier and tone reader answer.</summary>
internal sealed class NoModelReader : ITicketModelReader
{
    public Task<ModelReading?> ReadAsync(string redactedText, Taxonomy taxonomy, ModelLedger ledger, CancellationToken ct) =>
        Task.FromResult<ModelReading?>(null);
}
