using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Helpdesks;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Copilot.History;

/// <summary>
/// Reads the requester's recent tickets for one run: one list call to the helpdesk, bounded by
/// <see cref="HistoryOptions.Window"/> (from the customer's newest message) and <see cref="HistoryOptions.MaxTickets"/>,
/// subjects redacted at once, joined with what the sidecar stored of each. A helpdesk that cannot be read costs the run
/// its history, never the run: the failure is logged (no ticket text) and the trace says so.
/// </summary>
internal sealed partial class CustomerHistoryReader(
    TicketOutcomeStore outcomes, IOptions<HistoryOptions> options, IOptions<ResolutionOptions> resolution, TimeProvider time, ILogger<CustomerHistoryReader> logger)
{
    public const int Week = 7;

    public async Task<CustomerHistory> ReadAsync(IHelpdesk helpdesk, HelpdeskTicket ticket, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return CustomerHistory.None("Sidecar:History:Enabled is false.");
        if (helpdesk is not IRequesterTickets lister)
            return CustomerHistory.None($"The {helpdesk.Provider} helpdesk cannot list a requester's tickets.");
        if (ticket.RequesterId is not { Length: > 0 } requester)
            return CustomerHistory.None("The ticket has no requester.");

        IReadOnlyList<RequestedTicket> listed;
        try
        {
            // One more than needed: the current ticket is usually in the list.
            listed = await lister.GetRequestedTicketsAsync(requester, settings.MaxTickets + 1, ct);
        }
        catch (Exception ex) when (ex is HelpdeskException or HttpRequestException or TimeoutException
            || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogFailed(helpdesk.Provider, ticket.Id, ex.GetType().Name, ex is HelpdeskException ? ex.Message : "transport failure");
            return CustomerHistory.None("The helpdesk could not list the requester's tickets; the run went on without history.", failed: true);
        }

        var reference = ticket.LatestCustomerMessage?.CreatedAt is { } at && at <= time.GetUtcNow() ? at : time.GetUtcNow();
        var since = reference - settings.Window;
        var recent = listed
            .Where(t => t.Id != ticket.Id && t.CreatedAt is { } created && created >= since && created <= reference)
            .OrderByDescending(t => t.CreatedAt)
            .Take(settings.MaxTickets)
            .ToList();

        var weekAgo = reference - TimeSpan.FromDays(Week);
        // The current ticket is new and open: it counts in every figure.
        var counts = new HistoryCounts(
            1 + recent.Count(t => t.IsOpen && t.CreatedAt >= weekAgo),
            1 + recent.Count(t => t.CreatedAt >= weekAgo),
            1 + recent.Count(t => t.IsOpen),
            1 + recent.Count);

        var stored = (await outcomes.ForTicketsAsync(helpdesk.Provider, recent.Select(t => t.Id).ToList(), ct)).ToDictionary(o => o.TicketId, StringComparer.Ordinal);
        var map = new RedactionMap();
        IReadOnlyList<string> names = string.IsNullOrWhiteSpace(ticket.RequesterName) ? [] : [ticket.RequesterName];
        var now = time.GetUtcNow();
        var tickets = recent.Select(t =>
        {
            var memory = stored.GetValueOrDefault(t.Id);
            return new HistoryTicket(t.Id, PiiRedactor.Redact(t.Subject, map, names), t.Status, t.CreatedAt, memory?.Intent, memory?.Summary,
                memory?.SuggestionId is null ? null : memory.OutcomeAt(now, resolution.Value.Window));
        }).ToList();
        return new CustomerHistory(tickets, counts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer history for {Provider} ticket {TicketId} not read ({ErrorType}: {Reason}); the run goes on without it")]
    private partial void LogFailed(string provider, string ticketId, string errorType, string reason);
}
