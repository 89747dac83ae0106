namespace HelpdeskSidecar.Helpdesks;

/// <summary>
/// Where a ticket is routed: its group, priority (neutral names: low, normal, high, urgent) and custom field values
/// (Zendesk field id or Freshdesk field name → value as text). Read from the ticket, or the part of it a route sets.
/// </summary>
internal sealed record TicketRoute(string? GroupId, string? Priority, IReadOnlyDictionary<string, string> Fields)
{
    public bool IsEmpty => GroupId is null && Priority is null && Fields.Count == 0;
}
