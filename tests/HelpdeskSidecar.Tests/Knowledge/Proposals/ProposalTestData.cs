using System.Globalization;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge.Proposals;

/// <summary>Gap suggestions stored through the real store on tickets the fakes hold, and the solve that acceptance tracking sees.</summary>
internal static class ProposalTestData
{
    /// <summary>Stores a knowledge-gap suggestion answering the ticket's latest customer message, as the pipeline would.</summary>
    public static async Task<string> GapAsync(SidecarTestHost host, IHelpdesk helpdesk, string ticketId, string question, string intent = "other")
    {
        var ticket = await helpdesk.GetTicketAsync(ticketId, CancellationToken.None);
        var id = Guid.NewGuid().ToString("N");
        await host.Service<SuggestionStore>().InsertAsync(new Suggestion
        {
            Id = id, Provider = helpdesk.Provider, TicketId = ticketId, TriggerKey = ticket.LatestCustomerMessage!.Id,
            CreatedAt = TimeProvider.System.GetUtcNow(), Kind = SuggestionKind.KnowledgeGap, Mode = "Shadow", Note = "no confident answer",
            Status = SuggestionStatus.Shadow, Question = question,
            Trace = new SuggestionTrace
            {
                Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 3),
                Understanding = new TicketUnderstanding { Redactor = "test", Intent = new LabelScore(intent, 0.9) },
            },
        }, CancellationToken.None);
        return id;
    }

    /// <summary>What the pipeline does on every event: load the ticket from the helpdesk and track what the agents did.</summary>
    public static async Task TrackAsync(SidecarTestHost host, IHelpdesk helpdesk, string ticketId) =>
        await host.Service<AcceptanceTracker>().TrackAsync(await helpdesk.GetTicketAsync(ticketId, CancellationToken.None), CancellationToken.None);

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
