using System.Net;
using System.Runtime.CompilerServices;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;

namespace HelpdeskSidecar.Knowledge.Sync;

/// <summary>Help Center and Solutions articles as knowledge articles: parsed HTML, URL, locale, update time and visibility kept.</summary>
internal static class HelpdeskArticles
{
    public const string ZendeskSource = "zendesk";
    public const string FreshdeskSource = "freshdesk";

    public static ArticleListing FromZendeskAsync(ZendeskClient client, CancellationToken ct)
    {
        var completeness = new ListingCompleteness();
        return new ArticleListing(ListZendeskAsync(client, completeness, ct), completeness);
    }

    public static ArticleListing FromFreshdeskAsync(FreshdeskClient client, CancellationToken ct)
    {
        var completeness = new ListingCompleteness();
        return new ArticleListing(ListFreshdeskAsync(client, completeness, ct), completeness);
    }

    private static async IAsyncEnumerable<KnowledgeArticle> ListZendeskAsync(ZendeskClient client, ListingCompleteness completeness, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var a in client.ListHelpCenterArticlesAsync(completeness, ct))
            yield return ToKnowledge(ZendeskSource, a.Id, a.Title, a.BodyHtml, a.Url, a.Locale, a.IsCustomerFacing, a.UpdatedAt);
    }

    private static async IAsyncEnumerable<KnowledgeArticle> ListFreshdeskAsync(FreshdeskClient client, ListingCompleteness completeness, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var a in client.ListSolutionArticlesAsync(completeness, ct))
        {
            // The Solutions body we read is description_text (plain): keep its words, not markup.
            var html = "<p>" + WebUtility.HtmlEncode(a.Body) + "</p>";
            yield return ToKnowledge(FreshdeskSource, a.Id, a.Title, html, url: null, locale: null, a.IsCustomerFacing, a.UpdatedAt);
        }
    }

    /// <summary>
    /// Help centres name locales "en-us", "de"; tickets are detected as a language ("en"). Keeping the language alone
    /// lets an "en" ticket find "en-us" articles (retrieval falls back from "de-CH" to "de", never the other way).
    /// </summary>
    internal static string Language(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
            return "en";
        var dash = locale.IndexOf('-', StringComparison.Ordinal);
        return (dash > 0 ? locale[..dash] : locale).ToLowerInvariant();
    }

    internal static KnowledgeArticle ToKnowledge(string source, string id, string title, string bodyHtml, string? url, string? locale, bool customerFacing, DateTimeOffset? updatedAt)
    {
        var document = $"<html><head><title>{WebUtility.HtmlEncode(title)}</title></head><body>{bodyHtml}</body></html>";
        var parsed = DocumentParser.Parse(source, id, "article.html", document);
        return parsed with
        {
            Title = string.IsNullOrWhiteSpace(title) ? parsed.Title : title,
            // The same rule as kb import: the URL is a link in the console and quoted in notes, so a javascript: or
            // data: address from the helpdesk is dropped; the article itself is still worth having.
            Url = ArticleMetadata.TryHttpUrl(url),
            Locale = Language(locale),
            Visibility = customerFacing ? KnowledgeVisibility.Public : KnowledgeVisibility.Agents,
            SourceUpdatedAt = updatedAt,
        };
    }
}

/// <summary>
/// A helpdesk's articles, read once, and whether that listing was cut off at the client's page cap (known only after
/// it has been read to the end): a cut-off listing may leave out articles the helpdesk still has.
/// </summary>
internal sealed class ArticleListing(IAsyncEnumerable<KnowledgeArticle> articles, ListingCompleteness completeness) : IAsyncEnumerable<KnowledgeArticle>
{
    public ListingCompleteness Completeness => completeness;

    public IAsyncEnumerator<KnowledgeArticle> GetAsyncEnumerator(CancellationToken cancellationToken = default) => articles.GetAsyncEnumerator(cancellationToken);
}
