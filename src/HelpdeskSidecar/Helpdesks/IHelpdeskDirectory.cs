namespace HelpdeskSidecar.Helpdesks;

/// <summary>
/// Who an agent id and which brand a brand id is, asked of the helpdesk itself, for reports that would otherwise show
/// bare ids. Implemented by the helpdesks that can say (Zendesk: users and brands; Freshdesk: agents); a name the
/// helpdesk does not know is simply absent from the answer. Failing to ask throws <see cref="HelpdeskException"/>.
/// </summary>
internal interface IHelpdeskDirectory
{
    string Provider { get; }

    /// <summary>Names of the agents among <paramref name="ids"/> that the helpdesk knows, by id.</summary>
    Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct);

    /// <summary>Names of the brands among <paramref name="ids"/> that the helpdesk knows, by id.</summary>
    Task<IReadOnlyDictionary<string, string>> BrandNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct);
}
