namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// What a loopback helpdesk says about a requester or an organization (company): tags, custom fields and, for a
/// requester, the organization they belong to. The fakes put these into bodies shaped like the recorded fixtures.
/// </summary>
public sealed class FakeCustomerProfile
{
    public List<string> Tags { get; } = [];

    /// <summary>Custom field values by key (a string, number, boolean or null, as the helpdesk stores them).</summary>
    public Dictionary<string, object?> Fields { get; } = [];

    /// <summary>A requester's organization (Zendesk) or company (Freshdesk).</summary>
    public long? OrganizationId { get; set; }

    /// <summary>Freshdesk companies only: the built-in account tier.</summary>
    public string? AccountTier { get; set; }
}
