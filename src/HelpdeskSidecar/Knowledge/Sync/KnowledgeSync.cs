namespace HelpdeskSidecar.Knowledge.Sync;

/// <summary>What one <c>kb sync</c> run changed in the index.</summary>
/// <param name="StoppedAtPageLimit">The listing stopped at this many pages while the helpdesk had more: nothing was deleted.</param>
internal sealed record SyncReport(string Source, int Added, int Updated, int Unchanged, int Deleted, int Skipped, int AgentsOnly, int? StoppedAtPageLimit = null)
{
    /// <summary>The sentence the CLI and the console add when the listing was cut off; <c>null</c> when it was complete.</summary>
    public string? CutOffWarning => StoppedAtPageLimit is { } pages
        ? $"The {Source} listing stopped at the {pages}-page limit while the helpdesk had more articles, so it is incomplete: articles it did not reach were kept, nothing was deleted."
        : null;
}

/// <summary>
/// Mirrors a helpdesk's knowledge base into the index. The helpdesk is listed in full first; only then are new and
/// changed articles upserted (the content hash decides) and the ones no longer listed deleted, so a listing that
/// fails half-way deletes nothing. A listing the client cut off at its page cap is incomplete too: what it listed is
/// upserted, nothing is deleted, and the sync is not recorded as completed. Drafts and restricted articles arrive with <see cref="KnowledgeVisibility.Agents"/>.
/// </summary>
internal sealed partial class KnowledgeSync(KnowledgeIndex index, SyncStateStore state, TimeProvider time, ILogger<KnowledgeSync> logger)
{
    public async Task<SyncReport> SyncAsync(string source, ArticleListing listing, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var articles = new List<KnowledgeArticle>();
        await foreach (var article in listing.WithCancellation(ct))
            articles.Add(article);
        // A cut-off listing says nothing about the articles it did not reach: absent is not the same as deleted.
        var cutOffAt = listing.Completeness.StoppedAtPageLimit;

        var known = await index.ListExternalIdsAsync(source, ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int added = 0, updated = 0, unchanged = 0, skipped = 0, agentsOnly = 0;
        var listed = articles.Select(a => a.ExternalId).ToHashSet(StringComparer.Ordinal);
        var total = articles.Count + (cutOffAt is null ? known.Count(id => !listed.Contains(id)) : 0);
        var done = 0;
        foreach (var article in articles)
        {
            seen.Add(article.ExternalId);
            if (article.Sections.Count == 0)
            {
                // An emptied article is as good as gone: keep no stale copy of what it used to say.
                if (known.Contains(article.ExternalId))
                    seen.Remove(article.ExternalId);
                skipped++;
                progress?.Report((++done, total));
                continue;
            }
            if (article.Visibility == KnowledgeVisibility.Agents)
                agentsOnly++;
            switch (await index.UpsertAsync(article, ct))
            {
                case UpsertOutcome.Added: added++; break;
                case UpsertOutcome.Updated: updated++; break;
                case UpsertOutcome.Refused: skipped++; break;
                default: unchanged++; break;
            }
            progress?.Report((++done, total));
        }

        var deleted = 0;
        foreach (var gone in cutOffAt is null ? known.Where(id => !seen.Contains(id)) : [])
        {
            if (await index.DeleteAsync(source, gone, ct))
                deleted++;
            progress?.Report((++done, Math.Max(total, done)));
        }
        // Changes shift the corpus statistics the offline embedder learns from (as after `kb import`).
        if (added + updated + deleted > 0 || await index.HasChunksWithoutVectorsAsync(ct))
            await index.RefitEmbeddingsAsync(ct);
        if (cutOffAt is { } pages)
        {
            LogCutOff(source, articles.Count, pages, added, updated, unchanged);
            return new SyncReport(source, added, updated, unchanged, 0, skipped, agentsOnly, pages);
        }
        await state.SetAsync(new SyncState(source, started, Cursor: null), ct);
        LogSynced(source, articles.Count, added, updated, deleted, unchanged);
        return new SyncReport(source, added, updated, unchanged, deleted, skipped, agentsOnly);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge sync {Source}: {Listed} listed, {Added} added, {Updated} updated, {Deleted} deleted, {Unchanged} unchanged")]
    private partial void LogSynced(string source, int listed, int added, int updated, int deleted, int unchanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge sync {Source}: the listing stopped at the {PageLimit}-page limit with more to come ({Listed} listed); nothing deleted, {Added} added, {Updated} updated, {Unchanged} unchanged")]
    private partial void LogCutOff(string source, int listed, int pageLimit, int added, int updated, int unchanged);
}
