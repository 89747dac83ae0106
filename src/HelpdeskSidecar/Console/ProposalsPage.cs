using FluentValidation;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Knowledge.Proposals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/knowledge/proposals</c>: article proposals written from agents' answers to solved knowledge gaps. Ops
/// leads review one (<c>/console/knowledge/proposals/{id}</c>), edit its title, answer and tags, and approve it (which
/// publishes it to the helpdesk as a draft) or reject it; managers read. The same store and publisher as
/// <c>/api/knowledge/proposals</c>, so the reviewer shown is the signed-in user.
/// </summary>
internal static class ProposalsPage
{
    private const string Saved = "proposal-saved";
    private const string Approved = "proposal-approved";
    private const string Rejected = "proposal-rejected";
    private const string PublishFailed = "proposal-publish-failed";

    /// <summary>The status line after a post/redirect/get: fixed texts by code (the publish error itself is shown from the store).</summary>
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        [Saved] = "Saved.",
        [Approved] = "Approved and published to the helpdesk as a draft article.",
        [Rejected] = "Rejected: nothing is published.",
        [PublishFailed] = "Approved, but not published yet: see the error below and retry.",
    };

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/knowledge/proposals", ListAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapGet("/knowledge/proposals/{id}", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/knowledge/proposals/{id}", ReviewAsync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
    }

    private static async Task<ContentHttpResult> ListAsync(HttpContext http, ProposalStore store, string? status, CancellationToken ct)
    {
        var filter = status is not null && ProposalStatus.All.Contains(status) ? status : null;
        var proposals = await store.ListAsync(filter, 200, ct);
        var body = Html.Of($"""
            <p class="muted">When a ticket that got a knowledge-gap suggestion is solved, the agent's answer (personal data redacted) becomes a proposed article; similar questions join one proposal. Approving one publishes it to the helpdesk as a <strong>draft</strong> for someone to publish there.</p>
            <nav class="filters" aria-label="Filter by status"><a id="filter-all" href="/console/knowledge/proposals"{Html.When(filter is null, new Html(" aria-current=\"page\""))}>All</a>
            {Html.Join(ProposalStatus.All, s => Html.Of($""" · <a id="filter-{s}" href="/console/knowledge/proposals?status={s}"{Html.When(filter == s, new Html(" aria-current=\"page\""))}>{s}</a>"""))}</nav>
            <section class="panel" aria-labelledby="proposals-heading">
            <h2 id="proposals-heading">Proposals</h2>
            <table id="proposals"><thead><tr><th scope="col">Title</th><th scope="col">Status</th><th scope="col" class="num">Questions</th><th scope="col" class="hide-narrow">Helpdesk</th><th scope="col" class="hide-narrow">Proposed (UTC)</th></tr></thead>
            <tbody>{Html.Join(proposals, p => Html.Of($"""<tr id="proposal-{p.Id}"><td><a href="/console/knowledge/proposals/{p.Id}">{p.Title}</a></td><td>{StatusBadge(p)}</td><td class="num">{p.Questions.Count}</td><td class="hide-narrow">{p.Provider}</td><td class="hide-narrow">{p.CreatedAt:yyyy-MM-dd HH:mm}</td></tr>"""))}</tbody></table>
            {Html.When(proposals.Count == 0, Html.Of($"""<p class="muted" id="no-proposals">No proposals{(filter is null ? "" : " " + filter)} yet: they appear when knowledge-gap tickets are solved.</p>"""))}
            </section>
            """);
        return ConsoleLayout.Page(http, "Article proposals", "knowledge", body);
    }

    private static Html StatusBadge(ArticleProposal p) => p.Status switch
    {
        ProposalStatus.Published => Html.Of($"""<span class="badge ok">published as draft</span>"""),
        ProposalStatus.Rejected => Html.Of($"""<span class="badge">rejected</span>"""),
        ProposalStatus.Approved => Html.Of($"""<span class="badge {(p.PublishError is null ? "" : "bad")}">approved{(p.PublishError is null ? "" : ", not published")}</span>"""),
        _ => Html.Of($"""<span class="badge warn">proposed</span>"""),
    };

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, ProposalStore store, string id, string? saved, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } p)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Unknown proposal", "There is no such article proposal.");
        return Detail(http, p, saved is not null && Messages.TryGetValue(saved, out var text) ? text : null, null);
    }

    private static ContentHttpResult Detail(HttpContext http, ArticleProposal p, string? message, IReadOnlyList<string>? errors, int status = StatusCodes.Status200OK)
    {
        var canReview = http.User.Can(AccessPolicies.Operations);
        var open = p.Status == ProposalStatus.Proposed;
        var body = Html.Of($"""
            <p><a href="/console/knowledge/proposals" id="back-to-proposals">All proposals</a></p>
            {Html.When(message is not null, Html.Of($"""<p class="message" id="saved-message" role="status">{message}</p>"""))}
            {Html.When(errors is { Count: > 0 }, Html.Of($"""<div class="message error" id="form-errors" role="alert"><ul>{Html.Join(errors ?? [], e => Html.Of($"""<li>{e}</li>"""))}</ul></div>"""))}
            <section class="panel" aria-labelledby="state-heading">
            <h2 id="state-heading">Status</h2>
            <p id="proposal-status">{StatusBadge(p)} · {p.Provider}{(p.ReviewedBy is null ? "" : $" · reviewed by {p.ReviewedBy} at {p.ReviewedAt:yyyy-MM-dd HH:mm} UTC")}</p>
            {Html.When(p.PublishedArticleId is not null, Html.Of($"""<p id="published-article">Draft article <strong>{p.PublishedArticleId}</strong> in the help center (labelled <code>{p.Marker}</code>); indexed for agents only until someone publishes it there.</p>"""))}
            {Html.When(p.PublishError is not null && p.PublishedArticleId is null, Html.Of($"""<p class="message error" id="publish-error">{p.PublishError}</p>"""))}
            </section>
            <section class="panel" aria-labelledby="questions-heading">
            <h2 id="questions-heading">Questions it answers ({p.Questions.Count})</h2>
            <ul id="proposal-questions">{Html.Join(p.Questions, q => Html.Of($"""<li class="proposal-question">{q.Question} <span class="muted">(ticket {q.TicketId})</span></li>"""))}</ul>
            </section>
            {(canReview && open ? EditForm(http, p) : ReadOnly(http, p, canReview))}
            """);
        return ConsoleLayout.Page(http, p.Title, "knowledge", body, status);
    }

    private static Html EditForm(HttpContext http, ArticleProposal p) => Html.Of($"""
        <section class="panel" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Review</h2>
        <form method="post" action="/console/knowledge/proposals/{p.Id}" id="proposal-form" class="stacked">
          {ConsoleLayout.AntiforgeryField(http)}
          <p><label for="proposal-title">Title</label><br><input id="proposal-title" name="title" value="{p.Title}" required maxlength="{ProposalAuthoring.MaxTitle}" class="wide"></p>
          <p><label for="proposal-answer">Answer (the article's text)</label><br><textarea id="proposal-answer" name="answer" required rows="10" class="code">{p.Answer}</textarea></p>
          <p><label for="proposal-tags">Tags (space-separated)</label><br><input id="proposal-tags" name="tags" value="{string.Join(' ', p.Tags)}" class="wide"></p>
          <p class="actions">
            <button id="proposal-save" type="submit" name="action" value="save" class="secondary">Save</button>
            <button id="proposal-approve" type="submit" name="action" value="approve">Approve and publish as draft</button>
            <button id="proposal-reject" type="submit" name="action" value="reject" class="secondary">Reject</button>
          </p>
        </form>
        </section>
        """);

    private static Html ReadOnly(HttpContext http, ArticleProposal p, bool canReview) => Html.Of($"""
        <section class="panel" aria-labelledby="article-heading">
        <h2 id="article-heading">Article</h2>
        <p><strong id="proposal-title">{p.Title}</strong></p>
        <div id="proposal-answer" class="article-text">{Html.Join(p.Answer.Split("\n\n", StringSplitOptions.RemoveEmptyEntries), para => Html.Of($"""<p>{para}</p>"""))}</div>
        <p id="proposal-tags">{Html.Join(p.Tags, t => Html.Of($"""<span class="badge">{t}</span> """))}</p>
        {Html.When(canReview && p.Status == ProposalStatus.Approved && p.PublishedArticleId is null, Html.Of($"""
            <form method="post" action="/console/knowledge/proposals/{p.Id}" id="retry-form">{ConsoleLayout.AntiforgeryField(http)}
              <input type="hidden" name="action" value="publish"><button id="proposal-publish" type="submit">Retry publishing</button>
            </form>
            """))}
        {Html.When(!canReview, Html.Of($"""<p class="muted" id="read-only-note">Your role can read proposals; ops leads review them.</p>"""))}
        </section>
        """);

    private static async Task<IResult> ReviewAsync(HttpContext http, string id, ProposalStore store, ProposalPublisher publisher, IValidator<ProposalEdit> validator, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } p)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Unknown proposal", "There is no such article proposal.");
        var form = await http.Request.ReadFormAsync(ct);
        var action = form["action"].ToString();
        var path = $"/console/knowledge/proposals/{id}";
        if (action is "publish")
        {
            var retried = await publisher.PublishAsync(id, ct);
            return Redirect(path, retried.Kind is PublishOutcomeKind.Published or PublishOutcomeKind.AlreadyPublished ? Approved : PublishFailed);
        }
        if (action is not ("save" or "approve" or "reject"))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Not saved", "'action' must be save, approve, reject or publish.");
        if (p.Status != ProposalStatus.Proposed)
            return ConsoleLayout.Message(http, StatusCodes.Status409Conflict, "Already reviewed", $"The proposal is {p.Status}; only a proposed one can be changed.");
        if (action is "reject")
        {
            await store.ReviewAsync(id, ProposalStatus.Rejected, http.User.ActorName(), ct);
            return Redirect(path, Rejected);
        }
        var edit = new ProposalEdit(form["title"].ToString(), form["answer"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal),
            form["tags"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList());
        var result = await validator.ValidateAsync(edit, ct);
        if (!result.IsValid)
            return Detail(http, p with { Title = edit.Title ?? "", Answer = edit.Answer ?? "" }, null, result.Errors.Select(e => e.ErrorMessage).ToList(), StatusCodes.Status400BadRequest);
        var tags = edit.Tags!.Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (!await store.EditAsync(id, edit.Title!.Trim(), edit.Answer!.Trim(), tags, ct))
            return ConsoleLayout.Message(http, StatusCodes.Status409Conflict, "Already reviewed", "The proposal was reviewed meanwhile; reload it.");
        if (action is "save")
            return Redirect(path, Saved);
        if (!await store.ReviewAsync(id, ProposalStatus.Approved, http.User.ActorName(), ct))
            return ConsoleLayout.Message(http, StatusCodes.Status409Conflict, "Already reviewed", "The proposal was reviewed meanwhile; reload it.");
        var outcome = await publisher.PublishAsync(id, ct);
        return Redirect(path, outcome.Kind == PublishOutcomeKind.Published ? Approved : PublishFailed);
    }

    private static IResult Redirect(string path, string code) => TypedResults.Redirect($"{path}?saved={code}");
}
