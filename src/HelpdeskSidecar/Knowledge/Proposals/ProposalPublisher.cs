using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge.Sync;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Proposals;

internal enum PublishOutcomeKind
{
    Published,
    AlreadyPublished,
    NotFound,
    NotApproved,

    /// <summary>Another attempt holds the proposal (its lease has not run out).</summary>
    InProgress,
    NotConfigured,
    Failed,
}

/// <param name="Reconciled">The draft was found by its marker (an earlier attempt had created it), not created now.</param>
internal sealed record PublishOutcome(PublishOutcomeKind Kind, ArticleProposal? Proposal, string Message, bool Reconciled = false);

/// <summary>
/// Publishes an approved proposal to its helpdesk as a draft article, exactly once however often it is retried:
/// <list type="number">
/// <item>the intent is recorded first (<see cref="ProposalStore.ClaimPublishAsync"/>: one more attempt, a lease), so
/// one attempt at a time, and a later attempt knows an earlier one may have reached the helpdesk;</item>
/// <item>a later attempt looks for the draft by the proposal's marker (a Zendesk label, a Freshdesk tag) before it
/// creates anything: a crash or a lost answer between the helpdesk's create and our store of its id is found again,
/// not written twice;</item>
/// <item>the article's id is stored (<see cref="ProposalStore.MarkPublishedAsync"/>), and the draft is imported into
/// the index with <see cref="KnowledgeVisibility.Agents"/> under the id <c>kb sync</c> gives it, so the next sync
/// takes it over (public once a human publishes it in the helpdesk).</item>
/// </list>
/// Why not "search before every create" alone: the first attempt needs no search (nothing can exist yet), and the
/// recorded attempt is what tells a retry that the helpdesk may hold an article whose id we never learnt.
/// </summary>
internal sealed partial class ProposalPublisher(
    ProposalStore store,
    IEnumerable<IHelpCenterDrafts> targets,
    KnowledgeIndex index,
    IOptions<AuthoringOptions> options,
    TimeProvider time,
    ILogger<ProposalPublisher> logger)
{
    public async Task<PublishOutcome> PublishAsync(string id, CancellationToken ct)
    {
        var claim = await store.ClaimPublishAsync(id, options.Value.PublishLease, ct);
        if (claim is null)
        {
            var current = await store.GetAsync(id, ct);
            return current switch
            {
                null => new(PublishOutcomeKind.NotFound, null, $"There is no proposal {id}."),
                { PublishedArticleId: { } article } => new(PublishOutcomeKind.AlreadyPublished, current, $"Already published as draft article {article}."),
                { Status: not ProposalStatus.Approved } => new(PublishOutcomeKind.NotApproved, current, $"The proposal is {current.Status}; only an approved proposal is published."),
                _ => new(PublishOutcomeKind.InProgress, current, "Another attempt is publishing this proposal; try again when it has finished."),
            };
        }
        var proposal = claim.Proposal;
        var target = targets.FirstOrDefault(t => string.Equals(t.Provider, proposal.Provider, StringComparison.OrdinalIgnoreCase));
        var missing = target is null ? $"the {proposal.Provider} helpdesk (Sidecar:{Capitalized(proposal.Provider)})" : target.MissingSetting;
        if (target is null || missing is not null)
        {
            var message = $"Not published: configure {missing} first.";
            await store.RecordPublishFailureAsync(id, message, ct);
            return new(PublishOutcomeKind.NotConfigured, await store.GetAsync(id, ct), message);
        }
        try
        {
            if (claim.Reconcile && await target.FindAsync(proposal, ct) is { } found)
            {
                LogReconciled(id, proposal.Provider, found.Id, proposal.PublishAttempts);
                return await CompleteAsync(target, proposal, found, reconciled: true, ct);
            }
            var body = AnswerText.ToHtml(proposal.Answer);
            var result = await target.CreateAsync(proposal, body, ct);
            if (result is { Succeeded: true, ResourceId: { } articleId })
                return await CompleteAsync(target, proposal, new HelpCenterDraftRef(articleId, null), reconciled: false, ct);
            var error = result.Succeeded
                ? "The helpdesk accepted the article but its answer could not be read; a retry finds it by its marker."
                : result.Error ?? "The helpdesk refused the article.";
            return await FailAsync(id, error, ct);
        }
        catch (HelpdeskException ex)
        {
            return await FailAsync(id, ex.Message, ct);
        }
    }

    private async Task<PublishOutcome> CompleteAsync(IHelpCenterDrafts target, ArticleProposal proposal, HelpCenterDraftRef draft, bool reconciled, CancellationToken ct)
    {
        await store.MarkPublishedAsync(proposal.Id, draft.Id, draft.Url, ct);
        // Agents only until a human publishes it in the helpdesk; then kb sync sees it customer-facing and takes over.
        var article = HelpdeskArticles.ToKnowledge(target.KnowledgeSource, draft.Id, proposal.Title, AnswerText.ToHtml(proposal.Answer), draft.Url,
            target.Locale, customerFacing: false, time.GetUtcNow());
        if (await index.UpsertAsync(article, ct) is UpsertOutcome.Added or UpsertOutcome.Updated)
            await index.RefitEmbeddingsAsync(ct);
        LogPublished(proposal.Id, proposal.Provider, draft.Id, reconciled);
        return new(PublishOutcomeKind.Published, await store.GetAsync(proposal.Id, ct),
            reconciled ? $"Found draft article {draft.Id}, created by an earlier attempt; nothing written twice." : $"Published as draft article {draft.Id}.", reconciled);
    }

    private async Task<PublishOutcome> FailAsync(string id, string error, CancellationToken ct)
    {
        await store.RecordPublishFailureAsync(id, error, ct);
        LogFailed(id, error);
        return new(PublishOutcomeKind.Failed, await store.GetAsync(id, ct), error);
    }

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Article proposal {ProposalId} published to {Provider} as draft article {ArticleId} (found by its marker: {Reconciled})")]
    private partial void LogPublished(string proposalId, string provider, string articleId, bool reconciled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Article proposal {ProposalId}: attempt {Attempt} found draft article {ArticleId} on {Provider} by its marker; not created again")]
    private partial void LogReconciled(string proposalId, string provider, string articleId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Article proposal {ProposalId} not published: {Error}")]
    private partial void LogFailed(string proposalId, string error);
}
