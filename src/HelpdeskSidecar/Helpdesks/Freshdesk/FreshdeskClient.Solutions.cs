using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>A Solutions article with what retrieval needs to know about where it may be shown.</summary>
/// <param name="IsPublished">Drafts (status 1) are never customer-facing.</param>
/// <param name="IsPublic">The folder is visible to all users (not agents-only, logged-in or selected companies).</param>
internal sealed record SolutionArticle(
    string Id, string Title, string Body, string Category, string Folder, bool IsPublished, bool IsPublic,
    IReadOnlyList<string> Tags, DateTimeOffset? UpdatedAt)
{
    public bool IsCustomerFacing => IsPublished && IsPublic;
}

internal sealed partial class FreshdeskClient
{
    /// <summary>Every article of the Solutions knowledge base: categories → folders → articles, each list paged.</summary>
    public IAsyncEnumerable<SolutionArticle> ListSolutionArticlesAsync(CancellationToken ct) =>
        ListSolutionArticlesAsync(new ListingCompleteness(), ct);

    /// <summary>
    /// Every article of the Solutions knowledge base; <paramref name="completeness"/> says afterwards whether any of
    /// the lists (categories, a category's folders, a folder's articles) stopped at the page cap with more to come.
    /// </summary>
    public async IAsyncEnumerable<SolutionArticle> ListSolutionArticlesAsync(
        ListingCompleteness completeness, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var categories = await GetAllPagesAsync((perPage, page) => api.ListSolutionCategoriesAsync(perPage, page, ct), ct, completeness);
        foreach (var category in categories)
        {
            var folders = await GetAllPagesAsync((perPage, page) => api.ListSolutionFoldersAsync(category.Id, perPage, page, ct), ct, completeness);
            foreach (var folder in folders)
            {
                var articles = await GetAllPagesAsync((perPage, page) => api.ListSolutionArticlesAsync(folder.Id, perPage, page, ct), ct, completeness);
                foreach (var a in articles)
                {
                    yield return new SolutionArticle(
                        a.Id.ToString(CultureInfo.InvariantCulture),
                        a.Title ?? "",
                        a.DescriptionText ?? "",
                        category.Name ?? "",
                        folder.Name ?? "",
                        IsPublished: a.Status == 2,
                        IsPublic: folder.Visibility is null or 1,
                        a.Tags ?? [],
                        a.UpdatedAt);
                }
            }
        }
    }
}

/// <summary>Create a Solution Article's body: <c>status</c> 1 is a draft (2 would publish it).</summary>
internal sealed record FreshdeskNewSolutionArticle(
    [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("description")] string Description,
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] int Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("tags")] IReadOnlyList<string> Tags);

internal sealed partial class FreshdeskClient
{
    /// <summary>Freshdesk's article status for a draft.</summary>
    public const int DraftStatus = 1;

    /// <summary>
    /// Creates a draft Solutions article (<c>status</c> 1) in a folder; <see cref="HelpdeskResult.ResourceId"/> is its id.
    /// Never retried by the resilience handler (a POST): the caller looks for the article's tag before trying again.
    /// </summary>
    public Task<HelpdeskResult> CreateDraftSolutionArticleAsync(long folderId, string title, string descriptionHtml, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var folder = folderId.ToString(CultureInfo.InvariantCulture);
        var body = new FreshdeskNewSolutionArticle(title, descriptionHtml, DraftStatus, tags);
        return _answers.WriteAsync(api.CreateSolutionArticleAsync(folderId, body, ct), "the draft article", "folder " + folder, ct,
            createdId: response => response.Error is null && response.Content is { Id: > 0 } a ? a.Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The folder's article carrying <paramref name="tag"/> (drafts included), or null; every page of the folder is read.</summary>
    public async Task<SolutionArticle?> FindFolderArticleByTagAsync(long folderId, string tag, CancellationToken ct)
    {
        var articles = await GetAllPagesAsync((perPage, page) => api.ListSolutionArticlesAsync(folderId, perPage, page, ct), ct);
        var found = articles.FirstOrDefault(a => (a.Tags ?? []).Contains(tag, StringComparer.OrdinalIgnoreCase));
        return found is null ? null : new SolutionArticle(found.Id.ToString(CultureInfo.InvariantCulture), found.Title ?? "", found.DescriptionText ?? "",
            "", "", IsPublished: found.Status == 2, IsPublic: false, found.Tags ?? [], found.UpdatedAt);
    }
}
