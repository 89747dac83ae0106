using HelpdeskSidecar.Access;
using HelpdeskSidecar.Hosting.OpsHealth;
using HelpdeskSidecar.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/health</c>, for ops leads: is anything stuck or failing right now? Jobs failed or waiting for a retry (with
/// a link to the jobs dashboard), notes given up with a Retry button (Operations), the last webhook per helpdesk and the
/// inbox backlog, rate-limit waits, and the model endpoint's and Qdrant's state. The same facts as <c>GET /api/health/ops</c>.
/// </summary>
internal static class HealthPage
{
    private const string Queued = "queued";
    private const string Unchanged = "unchanged";

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/health", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/health/write-backs/{id}/retry", RetryAsync).RequireAuthorization(AccessPolicies.Operations).WithAntiforgery();
    }

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, OpsHealthQuery query, string? retried, CancellationToken ct)
    {
        var report = await query.GetAsync(OpsHealthQuery.DefaultLimit, ct);
        var canRetry = http.User.Can(AccessPolicies.Operations);
        // A fixed code after the redirect, never text from the link (StatusMessages explains why).
        var notice = retried switch
        {
            Queued => Html.Of($"""<p class="message" id="retry-message" role="status">Queued again: the note is written once the helpdesk accepts it.</p>"""),
            Unchanged => Html.Of($"""<p class="message warning" id="retry-message" role="status">Nothing to retry: that note is already queued again or written.</p>"""),
            _ => Html.Empty,
        };
        var body = Html.Of($"""
            {notice}
            {Summary(report)}
            {JobsSection(report.Jobs)}
            {WriteBacksSection(http, report.WriteBacks, canRetry)}
            {InboxSection(report.Inbox)}
            {RateLimitSection(report.RateLimits)}
            {DependencySection(report.Dependencies)}
            <p class="muted" id="health-generated">As of {Time(report.GeneratedAt)}. The same facts as JSON: <a href="/api/health/ops">/api/health/ops</a>.</p>
            """);
        return ConsoleLayout.Page(http, "Health", "health", body);
    }

    private static Html Summary(OpsHealthReport report) => report.Problems.Count == 0
        ? Html.Of($"""<p class="message" id="health-summary" role="status">Nothing is stuck or failing.</p>""")
        : Html.Of($"""
            <div class="message error" id="health-summary" role="status"><strong>Needs attention:</strong>
            <ul>{Html.Join(report.Problems, p => Html.Of($"""<li>{p}</li>"""))}</ul></div>
            """);

    private static Html JobsSection(JobsHealth jobs) => Html.Of($"""
        <section class="panel" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs failing or retrying</h2>
        <p><a id="jobs-dashboard" href="{jobs.DashboardUrl}">Open the jobs dashboard</a> for each job's history, and to retry or delete it.</p>
        {(jobs.Error is { } error ? Html.Of($"""<p class="message error" id="jobs-error">The job store did not answer: {error}</p>""") : Html.Empty)}
        <h3 id="failed-heading">Failed ({jobs.FailedCount})</h3>
        {JobTable("failed-jobs", "Failed at", jobs.Failed, "No failed jobs.", jobs.DashboardUrl)}
        <h3 id="retrying-heading">Waiting for a retry ({jobs.RetryingCount})</h3>
        {JobTable("retrying-jobs", "Next run", jobs.Retrying, "No job is waiting for a retry.", jobs.DashboardUrl)}
        </section>
        """);

    private static Html JobTable(string id, string atLabel, IReadOnlyList<JobProblem> jobs, string empty, string jobsDashboard) => jobs.Count == 0
        ? Html.Of($"""<p class="muted" id="{id}-none">{empty}</p>""")
        : Html.Of($"""
            <table id="{id}"><thead><tr><th scope="col">Job</th><th scope="col">Ticket</th><th scope="col" class="num">Attempt</th><th scope="col" class="hide-narrow">{atLabel}</th><th scope="col">Error</th></tr></thead><tbody>
            {Html.Join(jobs, j => Html.Of($"""
                <tr id="job-{ConsoleIds.For(j.JobId)}"><td>{JobName(j.Job)} <a href="{jobsDashboard}/jobs/details/{Uri.EscapeDataString(j.JobId)}" class="muted" title="This job in the dashboard">#{j.JobId}</a></td><td>{Ticket(j.Provider, j.TicketId)}</td><td class="num">{j.Attempt}</td><td class="hide-narrow">{(j.At is { } at ? Time(at) : "")}</td><td class="job-error"><code title="{j.ExceptionType}">{ShortType(j.ExceptionType)}</code> {j.Message}</td></tr>
                """))}
            </tbody></table>
            """);

    private static Html WriteBacksSection(HttpContext http, WriteBacksHealth writeBacks, bool canRetry) => Html.Of($"""
        <section class="panel" aria-labelledby="write-backs-heading">
        <h2 id="write-backs-heading">Notes given up ({writeBacks.GivenUpCount})</h2>
        <p class="muted">Suggestions whose note could not be written to the helpdesk after every retry. Retry queues the note once more; it is never written twice.</p>
        {(writeBacks.GivenUp.Count == 0 ? Html.Of($"""<p class="muted" id="given-up-none">No note was given up.</p>""") : Html.Of($"""
            <table id="given-up"><thead><tr><th scope="col">Ticket</th><th scope="col" class="hide-narrow">Suggestion</th><th scope="col" class="num">Attempts</th><th scope="col">Reason</th>{Html.When(canRetry, Html.Of($"""<th scope="col"><span class="sr-only">Action</span></th>"""))}</tr></thead><tbody>
            {Html.Join(writeBacks.GivenUp, w => Html.Of($"""
                <tr id="given-up-{ConsoleIds.For(w.SuggestionId)}"><td>{Ticket(w.Provider, w.TicketId)}</td><td class="hide-narrow"><a href="/console/suggestions/{Uri.EscapeDataString(w.SuggestionId)}">{w.SuggestionId}</a></td><td class="num">{w.Attempts}</td><td>{w.Reason}</td>{Html.When(canRetry, Html.Of($"""
                    <td><form method="post" action="/console/health/write-backs/{Uri.EscapeDataString(w.SuggestionId)}/retry" class="retry-form" id="retry-{ConsoleIds.For(w.SuggestionId)}" data-once>{ConsoleLayout.AntiforgeryField(http)}<button type="submit" aria-label="Retry the note on {w.Provider} ticket {w.TicketId}">Retry</button></form></td>
                    """))}</tr>
                """))}
            </tbody></table>
            """))}
        </section>
        """);

    private static Html InboxSection(InboxHealth inbox) => Html.Of($"""
        <section class="panel" aria-labelledby="inbox-heading">
        <h2 id="inbox-heading">Webhooks and inbox</h2>
        {(inbox.LastWebhooks.Count == 0 ? Html.Of($"""<p class="muted" id="last-webhooks-none">No helpdesk is connected and no webhook has arrived.</p>""") : Html.Of($"""
            <table id="last-webhooks"><thead><tr><th scope="col">Helpdesk</th><th scope="col">Last webhook</th><th scope="col" class="num">Ago</th></tr></thead><tbody>
            {Html.Join(inbox.LastWebhooks, w => Html.Of($"""<tr id="last-webhook-{ConsoleIds.For(w.Provider)}"><td>{w.Provider}</td><td>{(w.ReceivedAt is { } at ? Time(at) : "none received yet")}</td><td class="num">{(w.SecondsAgo is { } s ? OpsHealthQuery.Ago(TimeSpan.FromSeconds(s)) : "")}</td></tr>"""))}
            </tbody></table>
            """))}
        <p id="inbox-backlog">{(inbox.Pending == 0
            ? Html.Of($"No events waiting in the inbox.")
            : Html.Of($"{inbox.Pending} event{(inbox.Pending == 1 ? "" : "s")} waiting in the inbox, the oldest for {OpsHealthQuery.Ago(TimeSpan.FromSeconds(inbox.OldestPendingSeconds ?? 0))}."))}</p>
        </section>
        """);

    private static Html RateLimitSection(RateLimitHealth rateLimits) => Html.Of($"""
        <section class="panel" aria-labelledby="rate-limits-heading">
        <h2 id="rate-limits-heading">Rate-limit waits</h2>
        <p class="muted">Calls the helpdesk answered with 429 (or 503 with Retry-After), and calls our own limiter held back, with the wait asked for. Counted by this replica since {Time(rateLimits.Since)}.</p>
        {(rateLimits.Waits.Count == 0 ? Html.Of($"""<p class="muted" id="rate-limit-waits-none">No waits in the last day.</p>""") : Html.Of($"""
            <table id="rate-limit-waits"><thead><tr><th scope="col">Helpdesk</th><th scope="col">Who asked</th><th scope="col" class="num">Last hour</th><th scope="col" class="num">Waited (hour)</th><th scope="col" class="num hide-narrow">Last day</th><th scope="col" class="num hide-narrow">Waited (day)</th></tr></thead><tbody>
            {Html.Join(rateLimits.Waits, w => Html.Of($"""<tr id="rate-limit-{ConsoleIds.For(w.Provider, w.Source)}"><td>{w.Provider}</td><td>{(w.Source == "client" ? "our limiter" : "the helpdesk")}</td><td class="num">{w.LastHourCount}</td><td class="num">{w.LastHourWaitSeconds:0.#} s</td><td class="num hide-narrow">{w.LastDayCount}</td><td class="num hide-narrow">{w.LastDayWaitSeconds:0.#} s</td></tr>"""))}
            </tbody></table>
            """))}
        </section>
        """);

    private static Html DependencySection(IReadOnlyList<DependencyHealth> dependencies) => Html.Of($"""
        <section class="panel" aria-labelledby="dependencies-heading">
        <h2 id="dependencies-heading">Model and Qdrant</h2>
        {(dependencies.Count == 0 ? Html.Of($"""<p class="muted" id="dependencies-none">Neither a model endpoint nor Qdrant is configured: the offline drafter and the embedded index answer.</p>""") : Html.Of($"""
            <table id="dependency-states"><thead><tr><th scope="col">Dependency</th><th scope="col">State</th><th scope="col">Detail</th></tr></thead><tbody>
            {Html.Join(dependencies, d => Html.Of($"""<tr id="dependency-{ConsoleIds.For(d.Name)}"><td>{d.Name}</td><td><span class="badge {(d.Status == "ready" ? "ok" : d.Status == "degraded" ? "warn" : "bad")}">{d.Status.Replace('_', ' ')}</span></td><td>{d.Detail}</td></tr>"""))}
            </tbody></table>
            """))}
        </section>
        """);

    private static async Task<IResult> RetryAsync(HttpContext http, WriteBackRetry retry, string id, CancellationToken ct)
    {
        var outcome = await retry.RetryAsync(id, http.User.ActorName(), ct);
        if (outcome == WriteBackRetryOutcome.NotFound)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", "No suggestion has this id.");
        return TypedResults.Redirect($"/console/health?retried={(outcome == WriteBackRetryOutcome.Queued ? Queued : Unchanged)}");
    }

    private static string JobName(string job) => job switch
    {
        "pipeline" => "Draft",
        "write_back" => "Note",
        _ => job,
    };

    private static string Ticket(string? provider, string? ticketId) => ticketId is null ? "" : $"{provider} {ticketId}";

    private static string ShortType(string? type) => type is null ? "" : type[(type.LastIndexOf('.') + 1)..];

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
}
