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
