using System.Collections.Concurrent;
using System.Globalization;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Knowledge.Sync;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>A draft article the help center has: its id, and its address when the helpdesk said.</summary>
internal sealed record HelpCenterDraftRef(string Id, string? Url);

/// <summary>Where one helpdesk's approved proposals are written as draft articles, and found again by their marker.</summary>
internal interface IHelpCenterDrafts
{
    /// <summary>The helpdesk (<c>zendesk</c>, <c>freshdesk</c>, <c>replay</c>): proposals from its tickets publish here.</summary>
    string Provider { get; }

    /// <summary>The index source the draft is imported under, the same as <c>kb sync</c> uses, so a sync takes it over.</summary>
    string KnowledgeSource { get; }

    string Locale { get; }

    /// <summary>The setting to configure before anything can be published; null when ready.</summary>
    string? MissingSetting { get; }

    /// <summary>The draft carrying the proposal's marker, or null. Throws <see cref="HelpdeskException"/>.</summary>
    Task<HelpCenterDraftRef?> FindAsync(ArticleProposal proposal, CancellationToken ct);

    /// <summary>Creates the draft; <see cref="HelpdeskResult.ResourceId"/> is its id (null when the answer could not be read).</summary>
    Task<HelpdeskResult> CreateAsync(ArticleProposal proposal, string bodyHtml, CancellationToken ct);
}

/// <summary>Zendesk Help Center: a draft (<c>draft: true</c>) in <c>Sidecar:Authoring:Zendesk:SectionId</c>, labelled with the marker.</summary>
internal sealed class ZendeskHelpCenterDrafts(ZendeskClient client, IOptions<AuthoringOptions> options) : IHelpCenterDrafts
{
    public string Provider => "zendesk";
    public string KnowledgeSource => HelpdeskArticles.ZendeskSource;
    public string Locale => options.Value.Zendesk.Locale;
    public string? MissingSetting => options.Value.Zendesk.SectionId is null ? "Sidecar:Authoring:Zendesk:SectionId" : null;

    public async Task<HelpCenterDraftRef?> FindAsync(ArticleProposal proposal, CancellationToken ct) =>
        await client.FindSectionArticleByLabelAsync(options.Value.Zendesk.SectionId!.Value, proposal.Marker, ct) is { } a ? new HelpCenterDraftRef(a.Id, a.Url) : null;

    public Task<HelpdeskResult> CreateAsync(ArticleProposal proposal, string bodyHtml, CancellationToken ct)
    {
        var o = options.Value.Zendesk;
        return client.CreateDraftArticleAsync(new HelpCenterDraft(o.SectionId!.Value, proposal.Title, bodyHtml, o.Locale,
            [proposal.Marker, .. proposal.Tags.Where(t => t != proposal.Marker)], o.PermissionGroupId, o.UserSegmentId), ct);
    }
}

/// <summary>Freshdesk Solutions: a draft (<c>status</c> 1) in <c>Sidecar:Authoring:Freshdesk:FolderId</c>, tagged with the marker.</summary>
internal sealed class FreshdeskSolutionDrafts(FreshdeskClient client, IOptions<AuthoringOptions> options) : IHelpCenterDrafts
{
    public string Provider => "freshdesk";
    public string KnowledgeSource => HelpdeskArticles.FreshdeskSource;
    public string Locale => "en";
    public string? MissingSetting => options.Value.Freshdesk.FolderId is null ? "Sidecar:Authoring:Freshdesk:FolderId" : null;

    public async Task<HelpCenterDraftRef?> FindAsync(ArticleProposal proposal, CancellationToken ct) =>
        await client.FindFolderArticleByTagAsync(options.Value.Freshdesk.FolderId!.Value, proposal.Marker, ct) is { } a ? new HelpCenterDraftRef(a.Id, null) : null;

    public Task<HelpdeskResult> CreateAsync(ArticleProposal proposal, string bodyHtml, CancellationToken ct) =>
        client.CreateDraftSolutionArticleAsync(options.Value.Freshdesk.FolderId!.Value, proposal.Title, bodyHtml,
            [proposal.Marker, .. proposal.Tags.Where(t => t != proposal.Marker)], ct);
}

/// <summary>
/// The replay helpdesk's help center (the demo): drafts kept in memory, as replay keeps its notes; nothing leaves the process.
/// </summary>
internal sealed class ReplayHelpCenterDrafts : IHelpCenterDrafts
{
    private readonly ConcurrentDictionary<string, (string Marker, string Title, string BodyHtml)> _articles = new();
    private long _nextId = 900_000;

    public string Provider => "replay";
    public string KnowledgeSource => "replay";
    public string Locale => "en";
    public string? MissingSetting => null;

    public IReadOnlyCollection<(string Id, string Marker, string Title)> Articles =>
        _articles.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (a.Key, a.Value.Marker, a.Value.Title)).ToList();

    public Task<HelpCenterDraftRef?> FindAsync(ArticleProposal proposal, CancellationToken ct) =>
        Task.FromResult(_articles.Where(a => a.Value.Marker == proposal.Marker).Select(a => new HelpCenterDraftRef(a.Key, null)).FirstOrDefault());

    public Task<HelpdeskResult> CreateAsync(ArticleProposal proposal, string bodyHtml, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        _articles[id] = (proposal.Marker, proposal.Title, bodyHtml);
        return Task.FromResult(HelpdeskResult.Ok(id));
    }
}
