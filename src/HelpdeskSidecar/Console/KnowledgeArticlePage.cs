using System.Globalization;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/knowledge/articles/{id}</c>: one article — where it comes from (with the link to its source), its policy
/// fields, how often drafts cited it and what the agents did with those drafts, and its chunks in order with the model
/// each vector was made with (the same data as <c>GET /api/knowledge/articles/{id}</c>).
/// </summary>
internal static class KnowledgeArticlePage
{
    public static void Map(RouteGroupBuilder console) =>
        console.MapGet("/knowledge/articles/{id}", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, ArticleCatalog catalog, string id, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var articleId))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Not an article", $"'{Hosting.Excerpt.Of(id)}' is not an article id (a whole number).");
        if (await catalog.GetAsync(articleId, ct) is not { } detail)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", $"There is no article {articleId}.");
        var a = detail.Article;
        var c = detail.Citations;
        var body = Html.Of($"""
            {KnowledgeViews.SubNav("articles")}
            <p><a href="/console/knowledge/articles" id="back-to-articles">All articles</a></p>
            <h2 id="article-title">{a.Title}</h2>
            <dl id="article-meta">
              <dt>Source</dt><dd id="article-origin">{KnowledgeViews.Origin(a)}</dd>
              <dt>Original</dt><dd>{(a.Url is null ? Html.Of($"{a.ExternalId} (the source gives no URL)") : KnowledgeViews.SourceLink(a.Url, Html.Of($"{a.Url}"), "article-source-link"))}</dd>
              <dt>Tier · visibility · brand · locale</dt><dd id="article-policy">{a.Tier} · {a.Visibility} · {a.Brand ?? "all brands"} · {a.Locale}</dd>
              <dt>Updated</dt><dd>{(a.SourceUpdatedAt is null ? Html.Of($"not given by the source; indexed {KnowledgeViews.Day(a.IndexedAt)} UTC") : Html.Of($"{KnowledgeViews.Day(a.SourceUpdatedAt)} UTC at the source; indexed {KnowledgeViews.Day(a.IndexedAt)} UTC"))}</dd>
            </dl>
            <div class="cards" id="article-cards">
              <div class="card"><div class="value" id="article-chunks">{a.Chunks}</div><div class="label">Chunks</div></div>
              <div class="card"><div class="value" id="article-cited">{c.CitedInDrafts}</div><div class="label">Drafts citing it</div></div>
              <div class="card"><div class="value" id="article-accepted">{c.Accepted}</div><div class="label">Of those accepted (sent as is or edited)</div></div>
              <div class="card"><div class="value" id="article-acceptance">{KnowledgeViews.Rate(c.Accepted, c.CitedInDrafts - c.Pending - c.Superseded)}</div><div class="label">Acceptance of the judged drafts</div></div>
            </div>
            <p id="article-verdicts" class="muted">Sent as is {c.SentAsIs} · edited {c.Edited} · rejected {c.Rejected} · no reply {c.NoReply} · superseded {c.Superseded} · pending {c.Pending}</p>
            {Drafts(detail.RecentDrafts, c.CitedInDrafts)}
            <section class="panel" aria-labelledby="chunks-heading">
            <h2 id="chunks-heading">Chunks</h2>
            <p class="muted">What retrieval searches and quotes: each passage with its heading path and the embedding model of its vector. <a href="/console/knowledge/try" id="try-from-article">Try a question</a> to see which of them it finds.</p>
            <ol id="article-chunk-list" class="chunks">
            {Html.Join(detail.Chunks, ch => Html.Of($"""
                <li id="chunk-{ch.Id}" class="chunk"><p class="chunk-head"><strong>#{ch.Position + 1}</strong> {ch.HeadingPath}</p>
                <p class="chunk-text">{ch.Text}</p>
                <p class="muted chunk-model">{(ch.HasVector ? Html.Of($"vector: {ch.EmbeddingModel ?? "model not recorded"}") : Html.Of($"no vector yet (it is embedded at the next index refresh)"))} · chunk {ch.Id}</p></li>
                """))}
            </ol>
            </section>
            """);
        return ConsoleLayout.Page(http, "Knowledge article", "knowledge", body);
    }

    private static Html Drafts(IReadOnlyList<CitingDraft> drafts, long total) => drafts.Count == 0
        ? Html.Of($"""<p class="muted" id="no-citing-drafts">No draft has cited this article yet.</p>""")
        : Html.Of($"""
            <section class="panel" aria-labelledby="drafts-heading">
            <h2 id="drafts-heading">Newest drafts citing it</h2>
            {Html.When(total > drafts.Count, Html.Of($"""<p class="muted">The newest {drafts.Count} of {total}.</p>"""))}
            <table id="citing-drafts"><thead><tr><th scope="col">Created (UTC)</th><th scope="col">Ticket</th><th scope="col">Verdict</th></tr></thead><tbody>
            {Html.Join(drafts, d => Html.Of($"""<tr><td><a href="/console/suggestions/{Uri.EscapeDataString(d.SuggestionId)}">{KnowledgeViews.Day(d.CreatedAt)}</a></td><td>{d.Provider} #{d.TicketId}</td><td>{SuggestionPages.VerdictBadge(d.Verdict)}</td></tr>"""))}
            </tbody></table>
            </section>
            """);
}
