using System.Globalization;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Suggestions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// The suggestions list: filters (ticket, kind, verdict, intent, brand, mode, from/to) applied in SQL, pages of
/// <see cref="PageSize"/> with Next / Previous links (a keyset cursor, so suggestions arriving meanwhile neither repeat
/// nor skip a row), and each row linked to its ticket in the helpdesk.
/// </summary>
internal static partial class SuggestionPages
{
    public const int PageSize = 50;

    private static async Task<ContentHttpResult> ListAsync(
        HttpContext http, SuggestionStore store, IOptions<SidecarOptions> options, string? ticket, string? kind, string? verdict, string? intent,
        string? brand, string? mode, string? from, string? to, string? cursor, CancellationToken ct)
    {
        var (filter, parsed) = SuggestionFilter.Parse(ticket, kind, verdict, intent, brand, mode, from, to);
        var errors = parsed.ToList();
        if (!SuggestionCursor.TryDecode(cursor, out var position))
            errors.Add("This page link is not one the list gave out: start again from the first page.");
        // A bad filter is a mistake to point out, not an empty list that looks like "no suggestions".
        var page = errors.Count > 0 ? new SuggestionPage([], null, null) : await store.PageAsync(filter, position, PageSize, ct);
        var body = Html.Of($"""
            <form method="get" action="/console/suggestions" class="inline panel" id="suggestion-filter" data-autosubmit>
              <label for="filter-ticket">Ticket <input id="filter-ticket" name="ticket" value="{ticket}" inputmode="numeric" maxlength="{SuggestionFilter.MaxText}"></label>
              <label for="filter-kind">Kind <select id="filter-kind" name="kind">{Options(SuggestionFilter.Kinds, kind)}</select></label>
              <label for="filter-verdict">Verdict <select id="filter-verdict" name="verdict">{Options(SuggestionFilter.Verdicts, verdict)}</select></label>
              <label for="filter-intent">Intent <input id="filter-intent" name="intent" value="{intent}" maxlength="{SuggestionFilter.MaxText}"></label>
              <label for="filter-brand">Brand id <input id="filter-brand" name="brand" value="{brand}" maxlength="{SuggestionFilter.MaxText}"></label>
              <label for="filter-mode">Mode <select id="filter-mode" name="mode">{Options(SuggestionFilter.Modes, mode)}</select></label>
              <label for="filter-from">From (UTC) <input id="filter-from" name="from" type="date" value="{from}"></label>
              <label for="filter-to">To (UTC) <input id="filter-to" name="to" type="date" value="{to}"></label>
              <button id="filter-apply" type="submit">Filter</button>
              <a href="/console/suggestions" id="filter-clear">Clear</a>
            </form>
            {Html.When(errors.Count > 0, Html.Of($"""<div class="message error" id="filter-error" role="alert">{Html.Join(errors, e => Html.Of($"<p>{e}</p>"))}</div>"""))}
            <section class="panel" aria-labelledby="suggestion-count">
            <p class="muted" id="suggestion-count">{Count(page)}</p>
            <table id="suggestions-table">
            <thead><tr><th scope="col">Created (UTC)</th><th scope="col">Ticket</th><th scope="col">Kind</th><th scope="col" class="hide-narrow">Intent</th><th scope="col" class="hide-narrow">Mode</th><th scope="col">Verdict</th><th scope="col" class="num hide-narrow">Similarity</th></tr></thead>
            <tbody>
            {Html.Join(page.Items, s => Row(s, HelpdeskTicketLinks.For(options, s.Provider, s.TicketId)))}
            </tbody>
            </table>
            {Pager(filter, page)}
            </section>
            """);
        return ConsoleLayout.Page(http, "Suggestions", "suggestions", body, errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static string Count(SuggestionPage page) => page.Items.Count switch
    {
        0 => "No suggestions match.",
        1 => "1 suggestion on this page.",
        var n => $"{n} suggestions on this page{(page.NextCursor is null && page.PreviousCursor is null ? "" : $" (pages of {PageSize})")}.",
    };

    private static Html Row(Suggestion s, string? ticketUrl) => Html.Of($"""
        <tr data-suggestion-id="{s.Id}"><td><a class="suggestion-link" href="/console/suggestions/{Uri.EscapeDataString(s.Id)}">{s.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}</a></td>
        <td>{(ticketUrl is null ? Html.Of($"{s.Provider} #{s.TicketId}") : Html.Of($"""<a class="ticket-link" href="{ticketUrl}" target="_blank" rel="noopener noreferrer">{s.Provider} #{s.TicketId}<span class="sr-only"> (opens the ticket in the helpdesk)</span></a>"""))}</td>
        <td>{s.Kind.ToString()}</td><td class="hide-narrow">{s.Trace.Understanding?.Intent?.Label ?? "—"}</td>
        <td class="hide-narrow">{s.Mode}</td><td>{VerdictBadge(Suggestions.Acceptance.Verdicts.Shown(s))}</td><td class="num hide-narrow">{Number(s.Similarity)}</td></tr>
        """);

    private static Html Pager(SuggestionFilter filter, SuggestionPage page)
    {
        if (page.NextCursor is null && page.PreviousCursor is null)
            return Html.Empty;
        return Html.Of($"""
            <nav class="pager" aria-label="Pages of suggestions">
            {(page.PreviousCursor is { } previous ? Html.Of($"""<a id="page-previous" rel="prev" href="{ListUrl(filter, previous)}">← Previous</a>""") : Html.Of($"""<span class="muted">← Previous</span>"""))}
            {(page.NextCursor is { } next ? Html.Of($"""<a id="page-next" rel="next" href="{ListUrl(filter, next)}">Next →</a>""") : Html.Of($"""<span class="muted">Next →</span>"""))}
            </nav>
            """);
    }

    /// <summary>The list with the same filters, at <paramref name="cursor"/>.</summary>
    internal static string ListUrl(SuggestionFilter filter, string? cursor = null)
    {
        static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var query = new (string Name, string? Value)[]
        {
            ("ticket", filter.Ticket), ("kind", filter.Kind), ("verdict", filter.Verdict), ("intent", filter.Intent), ("brand", filter.Brand),
            ("mode", filter.Mode?.ToLowerInvariant()), ("from", Day(filter.From)), ("to", Day(filter.To)), ("cursor", cursor),
        }.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}");
        var q = string.Join('&', query);
        return q.Length == 0 ? "/console/suggestions" : $"/console/suggestions?{q}";
    }
}
