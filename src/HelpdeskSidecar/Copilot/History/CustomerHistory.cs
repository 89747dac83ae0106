namespace HelpdeskSidecar.Copilot.History;

/// <summary>
/// The requester's recent tickets as the pipeline uses them: redacted subjects, statuses, and what the sidecar remembers
/// of each (intent, the redacted question excerpt, the verified-resolution outcome). In memory for one run; the trace
/// keeps <see cref="ToTrace"/> (ids, statuses, counts), never the subjects.
/// </summary>
internal sealed record CustomerHistory(IReadOnlyList<HistoryTicket> Tickets, HistoryCounts Counts)
{
    /// <summary>Why nothing was read (disabled, no requester, a helpdesk that cannot list tickets) or why the read failed.</summary>
    public string? Skipped { get; init; }

    /// <summary>The helpdesk could not be read: the run went on without history.</summary>
    public bool Failed { get; init; }

    public static CustomerHistory None(string reason, bool failed = false) => new([], HistoryCounts.Zero) { Skipped = reason, Failed = failed };

    public HistoryTrace ToTrace(IReadOnlyList<string> usedBy) => new(
        Tickets.Select(t => new HistoryTraceTicket(t.Id, t.Status, t.CreatedAt, t.Intent, t.Outcome)).ToList(),
        Counts, usedBy, Skipped, Failed);
}

/// <param name="Subject">Redacted (placeholders such as <c>[EMAIL_1]</c>, never values).</param>
/// <param name="Summary">The sidecar's own stored summary of the ticket: the redacted excerpt of the customer's question.</param>
/// <param name="Outcome">What verified resolution says of it, when the sidecar drafted for it: <c>open</c>, <c>pending</c>, <c>verified</c>, <c>reopened</c>, <c>recontacted</c>.</param>
internal sealed record HistoryTicket(string Id, string Subject, string Status, DateTimeOffset? CreatedAt, string? Intent, string? Summary, string? Outcome);

/// <summary>
/// Counts a policy segment can test (<c>open_tickets_this_week &gt;= 3</c>). They include the current ticket, which is
/// open and new: a customer writing their third open ticket this week has <c>open_tickets_this_week</c> 3.
/// </summary>
internal sealed record HistoryCounts(int OpenTicketsThisWeek, int TicketsThisWeek, int OpenTickets, int RecentTickets)
{
    public static HistoryCounts Zero { get; } = new(0, 0, 0, 0);

    public const string OpenThisWeek = "open_tickets_this_week";
    public const string ThisWeek = "tickets_this_week";
    public const string Open = "open_tickets";
    public const string Recent = "recent_tickets";

    public static readonly string[] Names = [OpenThisWeek, ThisWeek, Open, Recent];

    public int Of(string name) => name switch
    {
        OpenThisWeek => OpenTicketsThisWeek,
        ThisWeek => TicketsThisWeek,
        Open => OpenTickets,
        Recent => RecentTickets,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown history count."),
    };
}

/// <summary>What the suggestion's trace keeps of the history: which tickets, their statuses and outcomes, the counts, and what used them.</summary>
/// <param name="UsedBy">Where the history went: <c>prompt</c>, <c>policy</c>, <c>note</c>.</param>
internal sealed record HistoryTrace(IReadOnlyList<HistoryTraceTicket> Tickets, HistoryCounts Counts, IReadOnlyList<string> UsedBy, string? Skipped, bool Failed);

internal sealed record HistoryTraceTicket(string Id, string Status, DateTimeOffset? CreatedAt, string? Intent, string? Outcome);

/// <summary>Where one run's history went, for the trace.</summary>
internal static class HistoryUse
{
    public const string Prompt = "prompt";
    public const string Policy = "policy";
    public const string Note = "note";

    /// <summary>The policy's segments see the counts of any history read; the note lists its tickets; the prompt has them when a model drafted.</summary>
    public static IReadOnlyList<string> Of(CustomerHistory history, string drafter) =>
        history.Skipped is not null ? []
        : history.Tickets.Count == 0 ? [Policy]
        : drafter.StartsWith("llm:", StringComparison.Ordinal) ? [Prompt, Policy, Note]
        : [Policy, Note];
}
