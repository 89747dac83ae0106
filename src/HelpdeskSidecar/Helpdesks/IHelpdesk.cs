namespace HelpdeskSidecar.Helpdesks;

/// <summary>One helpdesk account: the pipeline's only way to read tickets and write notes.</summary>
internal interface IHelpdesk
{
    /// <summary>The name stored with inbox events and suggestions, e.g. <c>zendesk</c>.</summary>
    string Provider { get; }

    /// <summary>Loads the ticket with its whole conversation. Throws <see cref="HelpdeskException"/>.</summary>
    Task<HelpdeskTicket> GetTicketAsync(string ticketId, CancellationToken ct);

    /// <summary>
    /// The requester's and their organization's tags and fields, for policy segments. Read only when the policy
    /// defines segments. A requester or organization the helpdesk no longer has is <see cref="HelpdeskCustomer.Unknown"/>;
    /// other failures throw <see cref="HelpdeskException"/>.
    /// </summary>
    Task<HelpdeskCustomer> GetCustomerAsync(HelpdeskTicket ticket, CancellationToken ct);

    /// <summary>Adds an internal (private) note. The caller has checked for <paramref name="marker"/> first.</summary>
    Task<HelpdeskResult> AddInternalNoteAsync(string ticketId, string body, CancellationToken ct);

    /// <summary>Adds tags to the ticket and keeps the ones it has. Adding a tag twice is harmless.</summary>
    Task<HelpdeskResult> AddTagsAsync(string ticketId, IReadOnlyList<string> tags, CancellationToken ct);

    /// <summary>
    /// Sets the ticket's group, priority and/or custom fields (only those <paramref name="route"/> names). Setting the
    /// same values twice is harmless. A helpdesk without routing (the replay) refuses, permanently.
    /// </summary>
    Task<HelpdeskResult> SetRouteAsync(string ticketId, TicketRoute route, CancellationToken ct) =>
        Task.FromResult(HelpdeskResult.Permanent($"The {Provider} helpdesk cannot route tickets."));
}

/// <summary>Finds the helpdesk an event came from.</summary>
internal sealed class HelpdeskRegistry(IEnumerable<IHelpdesk> helpdesks)
{
    private readonly Dictionary<string, IHelpdesk> _byProvider =
        helpdesks.ToDictionary(h => h.Provider, StringComparer.OrdinalIgnoreCase);

    public bool TryGet(string provider, out IHelpdesk helpdesk) => _byProvider.TryGetValue(provider, out helpdesk!);

    public IReadOnlyCollection<string> Providers => _byProvider.Keys;
}
