using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Replay;
using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>What the demo prints about knowledge authoring.</summary>
internal sealed record DemoAuthoringReport(int SolvedGaps, IReadOnlyList<ArticleProposal> Proposals, PublishOutcome? First, PublishOutcome? Retry, int DraftArticles);

/// <summary>
/// The demo's part of knowledge authoring: the export's tickets were solved with the agent's reply the replay kept
/// aside, so each knowledge-gap ticket is "solved" here (its reply appended, status solved) and goes through the same
/// <see cref="ProposalAuthoring"/> acceptance tracking calls. The first proposal is then approved as the demo user and
/// published twice to the replay help center: one draft article, the second call finding it already published.
/// </summary>
internal static class DemoAuthoring
{
    public static async Task<DemoAuthoringReport> RunAsync(IServiceProvider services, IReadOnlyCollection<ReplayTicket> tickets, IReadOnlyList<Suggestion> suggestions, string reviewer, CancellationToken ct)
    {
        var authoring = services.GetRequiredService<ProposalAuthoring>();
        var solved = 0;
        foreach (var t in tickets)
        {
            var gaps = suggestions.Where(s => s.TicketId == t.Ticket.Id && s.Kind == SuggestionKind.KnowledgeGap).ToList();
            if (gaps.Count == 0 || t.AgentReply is not { } reply)
                continue;
            var answered = t.Ticket with
            {
                Status = "solved",
                Comments = [.. t.Ticket.Comments, new HelpdeskComment($"{t.Ticket.Id}-reply", t.AgentReplyAuthorId, AuthorRole.Agent, IsPublic: true, reply, t.WaitingSince)],
            };
            await authoring.OnSolvedAsync(answered, gaps, ct);
            solved++;
        }
        var store = services.GetRequiredService<ProposalStore>();
        var proposals = (await store.ListAsync(null, 100, ct)).OrderBy(p => p.CreatedAt).ToList();
        if (proposals.Count == 0)
            return new DemoAuthoringReport(solved, proposals, null, null, 0);
        var first = proposals[0];
        await store.ReviewAsync(first.Id, ProposalStatus.Approved, reviewer, ct);
        var publisher = services.GetRequiredService<ProposalPublisher>();
        var published = await publisher.PublishAsync(first.Id, ct);
        var retry = await publisher.PublishAsync(first.Id, ct);
        var drafts = services.GetService<ReplayHelpCenterDrafts>()?.Articles.Count ?? 0;
        return new DemoAuthoringReport(solved, await store.ListAsync(null, 100, ct), published, retry, drafts);
    }
}
