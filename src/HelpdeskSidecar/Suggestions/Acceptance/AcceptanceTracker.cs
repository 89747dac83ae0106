using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>
/// Reads what the agents did with the ticket's open suggestions, from the ticket as loaded from the helpdesk (a
/// webhook only says "look again"). A suggestion answers one customer message (its trigger); the agent's answer
/// is the first public staff comment after that message. Our own notes are private and carry the marker, so
/// they never count as a reply. When a newer customer message got a suggestion of its own before anyone
/// answered, the older draft was never in play: <c>superseded</c> (the pipeline marks it so as soon as it makes the newer
/// suggestion). A ticket solved without an answer: <c>no_reply</c>. Suggestions without a draft (gaps, escalations,
/// withheld) have nothing to judge and get no verdict.
/// </summary>
internal sealed partial class AcceptanceTracker(
    SuggestionStore suggestions,
    IVerdictWriter verdicts,
    Tagging.TagOutcomes tagOutcomes,
    Routing.RouteOutcomes routeOutcomes,
    Knowledge.Proposals.ProposalAuthoring authoring,
    HelpdeskNames names,
    IOptions<SidecarOptions> options,
    ILogger<AcceptanceTracker> logger)
{
    /// <returns>How many verdicts were recorded.</returns>
    public async Task<int> TrackAsync(HelpdeskTicket ticket, CancellationToken ct)
    {
        // Who answered and which brand, by name, for the reports grouped by agent and brand.
        await names.RememberAsync(ticket, ct);
        var all = await suggestions.ListForTicketAsync(ticket.Provider, ticket.Id, ct);
        var solved = ticket.Status is "solved" or "closed";
        if (solved && all.Count > 0)
        {
            await tagOutcomes.SettleAsync(ticket, all, ct);
            await routeOutcomes.SettleAsync(ticket, all, ct);
        }
        if (solved && all.Count > 0)
            await authoring.OnSolvedAsync(ticket, all, ct); // a solved knowledge gap: the agent's answer becomes an article proposal
        if (all.All(s => s.Verdict is not null || s.Kind != SuggestionKind.Draft))
            return 0;
        // The reply is kept (for the console's diff) only as redacted text, with the placeholders the pipeline uses.
        var redacted = Copilot.Redaction.TicketRedactor.Redact(ticket).Ticket;
        var position = ticket.Comments.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var recorded = 0;
        foreach (var s in all.Where(s => s.Verdict is null && s.Kind == SuggestionKind.Draft))
        {
            if (!position.TryGetValue(s.TriggerKey, out var trigger))
                continue;
            var replyAt = -1;
            for (var i = trigger + 1; i < ticket.Comments.Count && replyAt < 0; i++)
            {
                if (IsAgentReply(ticket.Comments[i]))
                    replyAt = i;
            }
            var end = replyAt < 0 ? ticket.Comments.Count : replyAt;
            var superseded = all.Any(other => other.Id != s.Id
                && position.TryGetValue(other.TriggerKey, out var t) && t > trigger && t < end);

            VerdictRecord? verdict = null;
            if (superseded)
                verdict = new VerdictRecord(Verdicts.Superseded, null, Verdicts.FromReply, "A later customer message got its own suggestion before any reply.");
            else if (replyAt >= 0 && s.Draft is { } draft)
            {
                var reply = ticket.Comments[replyAt];
                var (name, similarity) = Verdicts.Judge(draft, reply.Body, options.Value.Acceptance);
                verdict = new VerdictRecord(name, similarity, Verdicts.FromReply, ReplyAuthorId: reply.AuthorId, Reply: redacted.Comments[replyAt].Body);
            }
            else if (replyAt < 0 && solved)
                verdict = new VerdictRecord(Verdicts.NoReply, null, Verdicts.FromReply, $"The ticket was {ticket.Status} without a public reply.");

            if (verdict is not null && await verdicts.RecordIfOpenAsync(s.Id, verdict, ct))
            {
                recorded++;
                LogVerdict(s.Id, ticket.Provider, ticket.Id, verdict.Verdict, verdict.Similarity);
            }
        }
        return recorded;
    }

    /// <summary>A public comment by staff that is not one of our notes (which are private and carry the marker anyway).</summary>
    public static bool IsAgentReply(HelpdeskComment c) =>
        c.IsPublic && c.AuthorRole == AuthorRole.Agent && !c.Body.Contains("[sidecar-suggestion:", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggestion {SuggestionId} on {Provider} ticket {TicketId}: {Verdict} (similarity {Similarity})")]
    private partial void LogVerdict(string suggestionId, string provider, string ticketId, string verdict, double? similarity);
}
