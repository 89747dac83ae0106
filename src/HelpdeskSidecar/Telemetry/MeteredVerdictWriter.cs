using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Telemetry;

/// <summary>Counts every verdict the registered <see cref="IVerdictWriter"/> (whichever storage provider) actually records.</summary>
internal sealed class MeteredVerdictWriter(IVerdictWriter inner) : IVerdictWriter
{
    public async Task<bool> RecordIfOpenAsync(string suggestionId, VerdictRecord verdict, CancellationToken ct) =>
        Count(await inner.RecordIfOpenAsync(suggestionId, verdict, ct), verdict);

    public async Task<bool> RecordFeedbackAsync(string suggestionId, VerdictRecord verdict, CancellationToken ct) =>
        Count(await inner.RecordFeedbackAsync(suggestionId, verdict, ct), verdict);

    public async Task<bool> RecordFromLinkAsync(string signature, string suggestionId, VerdictRecord verdict, CancellationToken ct) =>
        Count(await inner.RecordFromLinkAsync(signature, suggestionId, verdict, ct), verdict);

    public Task<bool> IsLinkUsedAsync(string signature, CancellationToken ct) => inner.IsLinkUsedAsync(signature, ct);

    public async Task<int> SupersedeOpenDraftsAsync(string provider, string ticketId, string newerId, CancellationToken ct)
    {
        var marked = await inner.SupersedeOpenDraftsAsync(provider, ticketId, newerId, ct);
        if (marked > 0)
            SidecarTelemetry.Verdicts.Add(marked, new("verdict", Verdicts.Superseded), new("source", Verdicts.FromPipeline));
        return marked;
    }

    private static bool Count(bool recorded, VerdictRecord verdict)
    {
        if (recorded)
            SidecarTelemetry.Verdicts.Add(1, new("verdict", verdict.Verdict), new("source", verdict.Source));
        return recorded;
    }
}
