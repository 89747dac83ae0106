using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/knowledge/articles</c>: every article with where it comes from, its policy fields, chunk count and how
/// often drafts cited it and agents accepted those drafts; a text search, sortable columns and keyset pages
/// (the same query as <c>GET /api/knowledge/articles</c>).
/// </summary>
internal static class KnowledgeBrowsePage
{
    public const int PageSize = 25;

    private static readonly (ArticleSort Sort, string Label)[] Orders =
    [
        (ArticleSort.Title, "Title"),
        (ArticleSort.Updated, "Recently updated"),
        (ArticleSort.Chunks, "Most chunks"),
        (ArticleSort.Cited, "Most cited"),
        (ArticleSort.Accepted, "Most accepted"),
    ];

    public static void Map(RouteGroupBuilder console) =>
        console.MapGet("/knowledge/articles", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, ArticleCatalog catalog, string? q, string? sort, string? cursor, CancellationToken ct)
    {
        string? error = null;
        ArticlePage? page = null;
        if (!KnowledgeEndpoints.TryParseSort(sort, out var order))
            error = $"Unknown order '{Hosting.Excerpt.Of(sort)}': choose one of the list.";
        else
        {
            try
            {
                page = await catalog.ListAsync(new ArticleQuery(q, order, cursor, PageSize), ct);
            }
            catch (ArticleQueryException e)
            {
                error = e.Message;
            }
        }
        var text = q?.Trim() ?? "";
        var body = Html.Of($"""
            {KnowledgeViews.SubNav("articles")}
            <form method="get" action="/console/knowledge/articles" class="inline panel" id="article-search" role="search">
              <label for="article-q">Search titles and text <input id="article-q" name="q" type="search" value="{text}" maxlength="{ArticleQuery.MaxTextLength}"></label>
              <label for="article-sort">Order <select id="article-sort" name="sort">{Html.Join(Orders, o => Html.Of($"""<option value="{o.Sort.ToString().ToLowerInvariant()}"{Html.When(o.Sort == order, new Html(" selected"))}>{o.Label}</option>"""))}</select></label>
              <button id="article-search-submit" type="submit">Search</button>
              {Html.When(text.Length > 0, Html.Of($"""<a href="/console/knowledge/articles" id="article-search-clear">Clear</a>"""))}
            </form>
            {(error is null ? Html.Empty : Html.Of($"""<p class="message error" id="article-error" role="alert">{error}</p>"""))}
            {(page is null ? Html.Empty : Table(page, text, order, cursor))}
            """);
        return ConsoleLayout.Page(http, "Knowledge articles", "knowledge", body, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static Html Table(ArticlePage page, string text, ArticleSort order, string? cursor) => Html.Of($"""
        <section class="panel" aria-labelledby="articles-heading">
        <h2 id="articles-heading">Articles</h2>
        <p class="muted" id="article-count">{page.Total} {(page.Total == 1 ? "article" : "articles")}{(text.Length > 0 ? Html.Of($" match “{text}”") : Html.Empty)}. Cited: drafts whose note cited the article; accepted: of those, sent as is or edited by the agent.</p>
        <table id="articles-table">
        <thead><tr>
          {Header("Title", ArticleSort.Title, order, text)}<th scope="col">Source</th><th scope="col" class="hide-narrow">Visibility</th><th scope="col" class="hide-narrow">Brand</th><th scope="col" class="hide-narrow">Locale</th>
          {Header("Updated", ArticleSort.Updated, order, text, "hide-narrow")}{Header("Chunks", ArticleSort.Chunks, order, text, "num hide-narrow")}{Header("Cited", ArticleSort.Cited, order, text, "num")}{Header("Accepted", ArticleSort.Accepted, order, text, "num")}
        </tr></thead>
        <tbody>
        {Html.Join(page.Items, a => Html.Of($"""
            <tr data-article-id="{a.Id}"><td><a class="article-link" href="/console/knowledge/articles/{a.Id}">{a.Title}</a></td><td>{KnowledgeViews.Origin(a)}</td>
            <td class="hide-narrow">{a.Visibility}</td><td class="hide-narrow">{a.Brand ?? "all brands"}</td><td class="hide-narrow">{a.Locale}</td><td class="hide-narrow">{KnowledgeViews.Updated(a)}</td>
            <td class="num hide-narrow">{a.Chunks}</td><td class="num cited">{a.CitedInDrafts}</td><td class="num accepted">{a.Accepted}</td></tr>
            """))}
        </tbody>
        </table>
        {Html.When(page.Items.Count == 0, Html.Of($"""<p class="muted" id="no-articles">{(text.Length > 0 ? "No article matches." : "No knowledge yet: kb import <folder> or sync a helpdesk.")}</p>"""))}
        <p class="pager">
        {Html.When(cursor is { Length: > 0 }, Html.Of($"""<a id="first-page" href="{ListUrl(text, order, null)}">First page</a> """))}
        {(page.NextCursor is { } next ? Html.Of($"""<a id="next-page" rel="next" href="{ListUrl(text, order, next)}">Next page</a>""") : Html.Empty)}
        </p>
        </section>
        """);

    /// <summary>A column header that orders the list by itself; the current order is marked for screen readers.</summary>
    private static Html Header(string label, ArticleSort sort, ArticleSort current, string text, string css = "") => Html.Of($"""
        <th scope="col"{(css.Length > 0 ? Html.Of($" class=\"{css}\"") : Html.Empty)}{Html.When(sort == current, new Html(sort == ArticleSort.Title ? " aria-sort=\"ascending\"" : " aria-sort=\"descending\""))}><a id="sort-{sort.ToString().ToLowerInvariant()}" href="{ListUrl(text, sort, null)}">{label}</a></th>
        """);

    private static string ListUrl(string text, ArticleSort sort, string? cursor)
    {
        var query = new List<string>();
        if (text.Length > 0)
            query.Add("q=" + Uri.EscapeDataString(text));
        if (sort != ArticleSort.Title)
            query.Add("sort=" + sort.ToString().ToLowerInvariant());
        if (cursor is not null)
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        return "/console/knowledge/articles" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }
}
