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

/// <summary>A new Help Center article as the sidecar writes it: always a draft, labelled with the proposal's marker.</summary>
internal sealed record HelpCenterDraft(long SectionId, string Title, string BodyHtml, string Locale, IReadOnlyList<string> Labels,
    long? PermissionGroupId, long? UserSegmentId);

/// <summary>The body of Create Article in Section: <c>{"article": {...}, "notify_subscribers": false}</c>.</summary>
internal sealed record ZendeskNewArticleRequest(
    [property: System.Text.Json.Serialization.JsonPropertyName("article")] ZendeskNewArticle Article,
    [property: System.Text.Json.Serialization.JsonPropertyName("notify_subscribers")] bool NotifySubscribers);

/// <summary>
/// <c>draft</c> and <c>label_names</c> are documented on the article object ("can be set when creating") though the
/// spec's ArticleRequest schema leaves them out; the contract test names exactly those two.
/// </summary>
internal sealed record ZendeskNewArticle
{
    [System.Text.Json.Serialization.JsonPropertyName("title")] public required string Title { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("body")] public required string Body { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("locale")] public required string Locale { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("draft")] public bool Draft { get; init; } = true;
    [System.Text.Json.Serialization.JsonPropertyName("label_names")] public required IReadOnlyList<string> LabelNames { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("permission_group_id")] public long? PermissionGroupId { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("user_segment_id")] public long? UserSegmentId { get; init; }
}

internal sealed record ZendeskArticleEnvelope
{
    [System.Text.Json.Serialization.JsonPropertyName("article")] public ZendeskArticle? Article { get; init; }
}

internal sealed partial class ZendeskClient
{
    /// <summary>
    /// Creates a draft article in a section (<c>POST /api/v2/help_center/sections/{id}/articles</c>); the result's
    /// <see cref="HelpdeskResult.ResourceId"/> is the new article's id. A POST is never retried by the resilience
    /// handler: an answer lost on the way may still have created the article, which is why the caller looks for the
    /// article's label (<see cref="FindSectionArticleByLabelAsync"/>) before trying again.
    /// </summary>
    public Task<HelpdeskResult> CreateDraftArticleAsync(HelpCenterDraft draft, CancellationToken ct)
    {
        var request = new ZendeskNewArticleRequest(new ZendeskNewArticle
        {
            Title = draft.Title,
            Body = draft.BodyHtml,
            Locale = draft.Locale,
            Draft = true,
            LabelNames = draft.Labels,
            PermissionGroupId = draft.PermissionGroupId,
            UserSegmentId = draft.UserSegmentId,
        }, NotifySubscribers: false);
        var section = draft.SectionId.ToString(CultureInfo.InvariantCulture);
        return _answers.WriteAsync(api.CreateSectionArticleAsync(section, request, ct), "the draft article", "section " + section, ct,
            createdId: response => response.Error is null && response.Content?.Article is { } a ? a.Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// The article of the section that carries <paramref name="label"/> (drafts included, as an agent sees them), or null.
    /// Asks with <c>label_names</c> and checks the labels itself: a plan without label filtering answers with every article.
    /// </summary>
    public async Task<HelpCenterArticle?> FindSectionArticleByLabelAsync(long sectionId, string label, CancellationToken ct)
    {
        var section = sectionId.ToString(CultureInfo.InvariantCulture);
        string? cursor = null;
        for (var page = 0; page < MaxArticlePages; page++)
        {
            var result = await _answers.ReadAsync(cursor is null
                ? api.ListSectionArticlesAsync(section, label, PageSize, ct)
                : api.ListSectionArticlesAfterAsync(section, label, PageSize, cursor, ct), ct);
            foreach (var a in result.Articles ?? [])
            {
                if ((a.LabelNames ?? []).Contains(label, StringComparer.OrdinalIgnoreCase))
                {
                    return new HelpCenterArticle(a.Id.ToString(CultureInfo.InvariantCulture), a.Title ?? "", a.Body ?? "", a.HtmlUrl, a.Locale,
                        a.Draft, IsPublic: a.UserSegmentId is null, a.LabelNames ?? [], a.UpdatedAt);
                }
            }
            if (result.Meta is not { HasMore: true, AfterCursor: { Length: > 0 } next })
                return null;
            cursor = next;
        }
        throw new HelpdeskException($"The section {section} has more than {MaxArticlePages} pages of articles; the label could not be looked for in all of them.", retryable: false);
    }
}
