using System.Globalization;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Suggestions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Reports;

/// <summary>
/// One window of the overview (UTC days, both included). <see cref="AcceptanceRate"/> is the acceptance report's:
/// (sent_as_is + edited) / (drafts with a verdict − no_reply), over the drafts made in the window.
/// </summary>
internal sealed record OverviewWindow(
    string From, string To, int Suggestions, int Drafts, int KnowledgeGaps, int Escalations, int Withheld, int Pending,
    double? AcceptanceRate, double? LatencyP50Ms, double? LatencyP95Ms, int ModelCalls, long InputTokens, long OutputTokens, decimal CostUsd,
    int Inserted = 0, double? InsertionRate = null);

/// <summary>
/// The dashboard's numbers: today and this ISO week (Monday to Sunday, UTC), and the configured mode; and, for the change
/// "since last week", the last 7 days (today included) beside the 7 days before them, so a Monday compares a whole
/// week with a whole week.
/// </summary>
internal sealed record OverviewReport(DateTimeOffset GeneratedAt, string Mode, OverviewWindow Today, OverviewWindow Week,
    OverviewWindow? Last7Days = null, OverviewWindow? Previous7Days = null);

/// <summary>
/// Builds the <see cref="OverviewReport"/> for <c>GET /api/reports/overview</c>, <c>report overview</c> and the web
/// console, which calls <see cref="GetAsync"/> in process. "Today" comes from the injected clock.
/// </summary>
internal sealed class OverviewQuery(ISuggestionReportQuery query, IOptions<SidecarOptions> options, TimeProvider time)
{
    public async Task<OverviewReport> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var week = await query.SuggestionsAsync(monday, monday.AddDays(6), ct);
        var todays = week.Where(f => DateOnly.FromDateTime(f.CreatedAt.UtcDateTime) == today).ToList();
        var (lastFrom, previousFrom) = (today.AddDays(-6), today.AddDays(-13));
        var fortnight = await query.SuggestionsAsync(previousFrom, today, ct);
        var last = fortnight.Where(f => DateOnly.FromDateTime(f.CreatedAt.UtcDateTime) >= lastFrom).ToList();
        var previous = fortnight.Where(f => DateOnly.FromDateTime(f.CreatedAt.UtcDateTime) < lastFrom).ToList();
        return new OverviewReport(now, options.Value.Mode.ToString().ToLowerInvariant(), Window(todays, today, today), Window(week, monday, monday.AddDays(6)),
            Window(last, lastFrom, today), Window(previous, previousFrom, lastFrom.AddDays(-1)));
    }

    public static OverviewWindow Window(IReadOnlyList<SuggestionFact> facts, DateOnly from, DateOnly to)
    {
        int Count(SuggestionKind kind) => facts.Count(f => f.Kind == kind.ToString());
        var drafts = facts.Where(f => f.Kind == nameof(SuggestionKind.Draft)).Select(f => f.ToAcceptanceFact()).ToList();
        var acceptance = AcceptanceReport.Group(AcceptanceReport.TotalKey, drafts);
        var usage = UsageReport.Group(AcceptanceReport.TotalKey, facts);
        return new OverviewWindow(
            from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            facts.Count, drafts.Count, Count(SuggestionKind.KnowledgeGap), Count(SuggestionKind.Escalation), Count(SuggestionKind.Withheld),
            acceptance.Pending, acceptance.AcceptanceRate, usage.LatencyP50Ms, usage.LatencyP95Ms,
            usage.ModelCalls, usage.InputTokens, usage.OutputTokens, usage.CostUsd, acceptance.Inserted, acceptance.InsertionRate);
    }
}
