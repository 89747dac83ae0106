using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Replay;
using HelpdeskSidecar.Reports;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>One replayed ticket: the suggestion made as it stood before the agent replied, and the verdict the real reply gives it.</summary>
internal sealed record ShadowRow(ReplayTicket Ticket, Suggestion? Suggestion, string? Verdict, double? Similarity)
{
    public string Intent => Suggestion?.Trace.Understanding?.Intent?.Label ?? ReportGroupings.None;
}

/// <summary>
/// Shadow evaluation: scores each replayed ticket's draft against the reply the agent really sent, with the same
/// verdicts and thresholds as live acceptance tracking, and records them (source <c>replay</c>). A ticket the
/// agent never answered is <c>no_reply</c>; a knowledge gap has no draft and gets no verdict. The tags the suggestion
/// applied or suggested are settled against the export's tags (the ticket's final ones) into the same store as live
/// tracking, so <c>report tags</c> and the console show the replay's tag precision.
/// </summary>
internal sealed class ShadowEvaluation(IVerdictWriter verdicts, Tagging.TagOutcomes tagOutcomes, IOptions<SidecarOptions> options)
{
    public async Task<ShadowRow> ScoreAsync(ReplayTicket ticket, Suggestion? suggestion, CancellationToken ct)
    {
        if (suggestion is not null)
            await tagOutcomes.SettleAsync(ticket.Ticket, [suggestion], ct);
        if (suggestion?.Draft is not { } draft)
            return new ShadowRow(ticket, suggestion, null, null);
        var verdict = ticket.AgentReply is { } reply
            ? Verdicts.Judge(draft, reply, options.Value.Acceptance) is var (name, similarity)
                ? new VerdictRecord(name, similarity, Verdicts.FromReplay, ReplyAuthorId: ticket.AgentReplyAuthorId, Reply: RedactedReply(ticket, reply))
                : null
            : new VerdictRecord(Verdicts.NoReply, null, Verdicts.FromReplay, "The export has no public reply from an agent.");
        await verdicts.RecordFeedbackAsync(suggestion.Id, verdict!, ct);
        return new ShadowRow(ticket, suggestion, verdict!.Verdict, verdict.Similarity);
    }

    /// <summary>The export's reply as the console keeps it: PII-redacted, the customer's name included.</summary>
    private static string RedactedReply(ReplayTicket ticket, string reply) => Copilot.Redaction.PiiRedactor.Redact(
        reply, new Copilot.Redaction.RedactionMap(), string.IsNullOrWhiteSpace(ticket.Ticket.RequesterName) ? [] : [ticket.Ticket.RequesterName]);

    /// <summary>Expected acceptance per predicted intent, then the total, in the acceptance report's shape.</summary>
    public static (IReadOnlyList<AcceptanceGroup> Groups, AcceptanceGroup Total) Summarize(IReadOnlyList<ShadowRow> rows)
    {
        var facts = rows.Where(r => r.Suggestion?.Draft is not null)
            .Select(r => new AcceptanceFact(r.Suggestion!.Id, r.Suggestion.CreatedAt, r.Verdict, r.Similarity, r.Suggestion.Trace.Understanding?.Intent?.Label, [], null, null))
            .ToList();
        var report = AcceptanceReport.Build(facts, null, null, "intent");
        return (report.Groups, report.Total);
    }
}
