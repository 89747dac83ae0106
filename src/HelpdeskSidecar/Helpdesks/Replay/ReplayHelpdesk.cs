using System.Collections.Concurrent;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Helpdesks.Replay;

/// <summary>
/// A helpdesk played back from an export file, for the demo and for shadow evaluation. Each ticket is
/// shown as it stood when the customer was waiting: everything before the agent's first public reply.
/// That reply is kept aside so a suggestion can be compared with what the agent really sent.
/// Notes are kept in memory; nothing leaves the process.
/// </summary>
internal sealed partial class ReplayHelpdesk : IHelpdesk
{
    private readonly Lazy<IReadOnlyDictionary<string, ReplayTicket>> _tickets;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _notes = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _tags = new();

    public ReplayHelpdesk(IOptions<SidecarOptions> options)
    {
        var file = options.Value.Replay.File ?? throw new InvalidOperationException("Sidecar:Replay:File is not set.");
        var freshdesk = string.Equals(options.Value.Replay.Format, "freshdesk", StringComparison.OrdinalIgnoreCase);
        _tickets = new(() => Load(file, freshdesk));
    }

    private static IReadOnlyDictionary<string, ReplayTicket> Load(string file, bool freshdesk)
    {
        IEnumerable<HelpdeskTicket> tickets;
        IReadOnlyDictionary<string, HelpdeskCustomer> customers;
        if (freshdesk)
        {
            var export = FreshdeskExport.Load(file);
            (tickets, customers) = (export.ToTickets(), export.Customers());
        }
        else
        {
            var export = ZendeskExport.Load(file);
            (tickets, customers) = (export.ToTickets(), export.Customers());
        }
        return tickets
            .Select(t => ReplayTicket.From(t) with { Customer = customers.GetValueOrDefault(t.Id) ?? HelpdeskCustomer.Unknown })
            .ToDictionary(t => t.Ticket.Id);
    }

    public string Provider => "replay";

    public IReadOnlyCollection<ReplayTicket> Tickets => _tickets.Value.Values.OrderBy(t => t.Ticket.Id, StringComparer.Ordinal).ToList();

    public Task<HelpdeskTicket> GetTicketAsync(string ticketId, CancellationToken ct)
    {
        if (!_tickets.Value.TryGetValue(ticketId, out var replay))
            throw new HelpdeskException($"The replay file has no ticket {ticketId}.", retryable: false);
        var notes = _notes.TryGetValue(ticketId, out var written)
            ? written.Select((body, i) => new HelpdeskComment($"note-{i}", null, AuthorRole.Agent, false, body, replay.WaitingSince))
            : [];
        return Task.FromResult(replay.Ticket with { Comments = [.. replay.Ticket.Comments, .. notes] });
    }

    /// <summary>The requester profile the export carries (Zendesk user/organization sideloads, Freshdesk embedded requester/company).</summary>
    public Task<HelpdeskCustomer> GetCustomerAsync(HelpdeskTicket ticket, CancellationToken ct) =>
        Task.FromResult(_tickets.Value.TryGetValue(ticket.Id, out var replay) ? replay.Customer : HelpdeskCustomer.Unknown);

    public Task<HelpdeskResult> AddInternalNoteAsync(string ticketId, string body, CancellationToken ct)
    {
        _notes.GetOrAdd(ticketId, _ => new()).Enqueue(body);
        return Task.FromResult(HelpdeskResult.Ok(ticketId));
    }

    /// <summary>Replay is shadow-only: tags are remembered, never sent anywhere.</summary>
    public Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var added = _tags.GetOrAdd(ticketId, _ => new());
        foreach (var tag in tags)
            added.TryAdd(tag, 0);
        return Task.FromResult(HelpdeskResult.Ok(ticketId));
    }

    public IReadOnlyList<string> NotesOn(string ticketId) => _notes.TryGetValue(ticketId, out var n) ? [.. n] : [];
}

/// <summary>A ticket as the customer left it, and the reply the agent really sent.</summary>
internal sealed record ReplayTicket(HelpdeskTicket Ticket, string? AgentReply, DateTimeOffset WaitingSince)
{
    /// <summary>The requester's profile as the export gives it, for policy segments.</summary>
    public HelpdeskCustomer Customer { get; init; } = HelpdeskCustomer.Unknown;

    /// <summary>Who sent <see cref="AgentReply"/>, for the reports by agent.</summary>
    public string? AgentReplyAuthorId { get; init; }

    public static ReplayTicket From(HelpdeskTicket full)
    {
        var firstReply = full.Comments.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.IsPublic && x.c.AuthorRole == AuthorRole.Agent);
        var before = firstReply.c is null ? full.Comments : full.Comments.Take(firstReply.i).ToList();
        var waitingSince = before.Count > 0 ? before[^1].CreatedAt : DateTimeOffset.MinValue;
        return new ReplayTicket(full with { Comments = before, Status = "open" }, firstReply.c?.Body, waitingSince)
        {
            AgentReplyAuthorId = firstReply.c?.AuthorId,
        };
    }
}
