using Dapper;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge.Sync;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/knowledge</c>: sources with article and chunk counts and their last sync, the knowledge gaps by intent (managers),
/// and "sync now" (ops leads), whose progress <c>/console/knowledge/sync</c> reports as JSON for the page's script.
/// Its sub-navigation leads to the articles (KnowledgeBrowsePage, KnowledgeArticlePage) and "try a question" (KnowledgeTryPage).
/// </summary>
internal static class KnowledgePage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/knowledge", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapGet("/knowledge/sync", (KnowledgeSyncRunner runner) => TypedResults.Json(runner.Progress, ConsoleJsonContext.Default.SyncProgress))
            .RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/knowledge/sync", StartSync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
    }

    private sealed record SourceCount(string Source, long Articles, long Chunks);

    private static async Task<ContentHttpResult> ShowAsync(
        HttpContext http, Database database, SyncStateStore syncState, ISuggestionReportQuery facts, KnowledgeSyncRunner runner, CancellationToken ct)
    {
        IReadOnlyList<SourceCount> sources;
        await using (var connection = await database.OpenAsync(ct))
        {
            // Per-source counts; the knowledge index only counts the whole corpus.
            sources = (await connection.QueryAsync<(string Source, long Articles, long Chunks)>(new CommandDefinition(
                """
                SELECT a.source AS Source, COUNT(DISTINCT a.id) AS Articles, COUNT(c.id) AS Chunks
                FROM articles a LEFT JOIN chunks c ON c.article_id = a.id GROUP BY a.source ORDER BY a.source
                """, cancellationToken: ct))).Select(r => new SourceCount(r.Source, r.Articles, r.Chunks)).ToList();
        }
        var names = sources.Select(s => s.Source)
            .Concat([HelpdeskArticles.ZendeskSource, HelpdeskArticles.FreshdeskSource]).Distinct().ToList();
        var rows = new List<Html>();
        foreach (var name in names)
        {
            var count = sources.FirstOrDefault(s => s.Source == name);
            var state = await syncState.GetAsync(name, ct);
            if (count is null && state is null)
                continue;
            rows.Add(Html.Of($"""<tr id="source-{ConsoleIds.For(name)}"><td>{name}</td><td class="num">{count?.Articles ?? 0}</td><td class="num hide-narrow">{count?.Chunks ?? 0}</td><td>{(state is null ? "never synced (imported)" : $"{state.SyncedAt:yyyy-MM-dd HH:mm} UTC")}</td></tr>"""));
        }
        // The gap report's (gaps per intent, most first, with the newest questions as redacted excerpts), for the roles
        // that may read it on /api/reports/gaps (the role matrix, Access/Roles.cs).
        var showGaps = http.User.Can(AccessPolicies.Reports);
        var gaps = showGaps
            ? GapsReport.Build(await facts.SuggestionsAsync(null, null, ct), null, null, GapsReport.DefaultExamples).Groups.Where(g => g.Gaps > 0).ToList()
            : [];
        var progress = runner.Progress;
        var canSync = http.User.Can(AccessPolicies.Operations);
        var body = Html.Of($"""
            {KnowledgeViews.SubNav("overview")}
            <p id="kb-proposals"><a href="/console/knowledge/proposals" id="kb-proposals-link">Article proposals</a> written from agents' answers to solved knowledge gaps: review, edit, approve.</p>
            <section class="panel" aria-labelledby="sources-heading">
            <h2 id="sources-heading">Sources</h2>
            <table id="kb-sources"><thead><tr><th scope="col">Source</th><th scope="col" class="num">Articles</th><th scope="col" class="num hide-narrow">Chunks</th><th scope="col">Last sync</th></tr></thead>
            <tbody>{Html.Join(rows)}</tbody></table>
            {Html.When(rows.Count == 0, Html.Of($"""<p class="muted" id="kb-empty">No knowledge yet: <code>kb import &lt;folder&gt;</code> or sync a helpdesk.</p>"""))}
            </section>
            <section class="panel" aria-labelledby="sync-heading">
            <h2 id="sync-heading">Sync with the helpdesk</h2>
            {(canSync ? Html.Of($"""
                <form method="post" action="/console/knowledge/sync" id="sync-form">{ConsoleLayout.AntiforgeryField(http)}
                <button id="sync-now" type="submit"{Html.When(progress.Running, new Html(" disabled"))}>Sync now</button></form>
                """) : Html.Empty)}
            <label for="sync-progress" id="sync-progress-label"{Html.When(!progress.Running, new Html(" hidden"))}>Progress <progress id="sync-progress" data-status-url="/console/knowledge/sync" data-was-running="{(progress.Running ? "true" : "false")}" max="{Math.Max(1, progress.Total)}" value="{progress.Done}"{Html.When(!progress.Running, new Html(" hidden"))}></progress></label>
            <p id="sync-status" role="status" aria-live="polite">{progress.Message}</p>
            </section>
            {Html.When(showGaps, GapsSection(gaps))}
            """);
        return ConsoleLayout.Page(http, "Knowledge", "knowledge", body);
    }

    private static Html GapsSection(IReadOnlyList<GapGroup> gaps) => Html.Of($"""
            <section class="panel" aria-labelledby="gaps-heading">
            <h2 id="gaps-heading">Knowledge gaps</h2>
            <p class="muted">Tickets the knowledge could not answer with confidence, by intent, with the customers' newest questions (personal data redacted): what to write next. <a href="/console/suggestions?kind=KnowledgeGap" id="gap-suggestions">Open the gap suggestions</a> to see what was searched.</p>
            <table id="kb-gaps"><thead><tr><th scope="col">Intent</th><th scope="col" class="num">Gaps</th><th scope="col" class="num hide-narrow">Share</th><th scope="col">Example questions</th></tr></thead><tbody>
            {Html.Join(gaps, g => Html.Of($"""<tr><td>{g.Intent}</td><td class="num">{g.Gaps}</td><td class="num hide-narrow">{g.GapRate:P0}</td><td><ul class="gap-examples">{Html.Join(g.Examples, q => Html.Of($"""<li class="gap-example">{q}</li>"""))}</ul></td></tr>"""))}
            </tbody></table>
            {Html.When(gaps.Count == 0, Html.Of($"""<p class="muted" id="no-gaps">No knowledge gaps recorded.</p>"""))}
            </section>
            """);

    private static IResult StartSync(HttpContext http, KnowledgeSyncRunner runner)
    {
        runner.TryStart(http.User.ActorName());
        return TypedResults.Redirect("/console/knowledge");
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SyncProgress))]
internal sealed partial class ConsoleJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
