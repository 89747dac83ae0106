using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>A Help Center article with what retrieval needs to know about where it may be shown.</summary>
internal sealed record HelpCenterArticle(
    string Id, string Title, string BodyHtml, string? Url, string? Locale, bool IsDraft, bool IsPublic,
    IReadOnlyList<string> Labels, DateTimeOffset? UpdatedAt)
{
    /// <summary>Drafts and articles restricted to a user segment stay out of customer-facing retrieval.</summary>
    public bool IsCustomerFacing => !IsDraft && IsPublic;
}

internal sealed partial class ZendeskClient
{
    /// <summary>Every Help Center article, following the cursor (<c>meta.after_cursor</c>) page by page.</summary>
    public IAsyncEnumerable<HelpCenterArticle> ListHelpCenterArticlesAsync(CancellationToken ct) =>
        ListHelpCenterArticlesAsync(new ListingCompleteness(), ct);

    /// <summary>
    /// Every Help Center article, following the cursor page by page, up to <see cref="MaxArticlePages"/> pages;
    /// <paramref name="completeness"/> says afterwards whether the help centre still had more.
    /// </summary>
    public async IAsyncEnumerable<HelpCenterArticle> ListHelpCenterArticlesAsync(
        ListingCompleteness completeness, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        for (var page = 0; page < MaxArticlePages; page++)
        {
            var result = await _answers.ReadAsync(cursor is null
                ? api.ListArticlesAsync(PageSize, ct)
                : api.ListArticlesAfterAsync(PageSize, cursor, ct), ct);
            foreach (var a in result.Articles ?? [])
            {
                yield return new HelpCenterArticle(
                    a.Id.ToString(CultureInfo.InvariantCulture), a.Title ?? "", a.Body ?? "", a.HtmlUrl, a.Locale,
                    a.Draft, IsPublic: a.UserSegmentId is null, a.LabelNames ?? [], a.UpdatedAt);
            }
            if (result.Meta is not { HasMore: true, AfterCursor: { Length: > 0 } next })
                yield break;
            cursor = next;
        }
        completeness.CutOffAt(MaxArticlePages);
    }

    /// <summary>100 pages of 100: a help centre larger than 10,000 articles needs the incremental export instead.</summary>
    private const int MaxArticlePages = 100;
}
