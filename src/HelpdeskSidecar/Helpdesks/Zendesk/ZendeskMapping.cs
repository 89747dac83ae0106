using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>Zendesk wire shapes → the provider-neutral ticket.</summary>
internal static class ZendeskMapping
{
    public static HelpdeskTicket ToTicket(ZendeskTicket ticket, IReadOnlyList<ZendeskComment> comments, IReadOnlyDictionary<long, ZendeskUser> users)
    {
        users.TryGetValue(ticket.RequesterId ?? -1, out var requester);
        var mapped = comments
            .OrderBy(c => c.CreatedAt ?? DateTimeOffset.MinValue).ThenBy(c => c.Id)
            .Select(c => new HelpdeskComment(
                c.Id.ToString(CultureInfo.InvariantCulture),
                c.AuthorId?.ToString(CultureInfo.InvariantCulture),
                RoleOf(c.AuthorId, ticket.RequesterId, users),
                c.Public,
                c.Body ?? c.PlainBody ?? "",
                c.CreatedAt ?? ticket.CreatedAt ?? DateTimeOffset.MinValue))
            .ToList();
        return new HelpdeskTicket(
            "zendesk",
            ticket.Id.ToString(CultureInfo.InvariantCulture),
            ticket.Subject ?? "",
            ticket.Description ?? "",
            ticket.Status ?? "",
            ticket.Tags ?? [],
            ticket.BrandId?.ToString(CultureInfo.InvariantCulture),
            ticket.Via?.Channel,
            ticket.RequesterId?.ToString(CultureInfo.InvariantCulture),
            requester?.Name,
            requester?.Locale,
            mapped)
        {
            OrganizationId = ticket.OrganizationId?.ToString(CultureInfo.InvariantCulture),
            AgentNames = comments.Select(c => c.AuthorId).OfType<long>().Distinct()
                .Select(id => users.GetValueOrDefault(id))
                .Where(u => u is { Role: not "end-user" and not null, Name.Length: > 0 })
                .ToDictionary(u => u!.Id.ToString(CultureInfo.InvariantCulture), u => u!.Name!, StringComparer.Ordinal),
        };
    }

    /// <summary>The requester's tags and <c>user_fields</c>, their organization's tags and <c>organization_fields</c>.</summary>
    public static HelpdeskCustomer ToCustomer(ZendeskUser? user, ZendeskOrganization? organization) => new(
        user?.Tags ?? [], HelpdeskCustomer.Fields(user?.UserFields),
        organization?.Tags ?? [], HelpdeskCustomer.Fields(organization?.OrganizationFields));

    /// <summary>
    /// Zendesk roles are end-user, agent and admin. Without the sideloaded user we fall back to "the
    /// requester is the customer, anyone else is staff".
    /// </summary>
    private static AuthorRole RoleOf(long? authorId, long? requesterId, IReadOnlyDictionary<long, ZendeskUser> users)
    {
        if (authorId is null or -1)
            return AuthorRole.System;
        if (users.TryGetValue(authorId.Value, out var user) && user.Role is { } role)
            return role == "end-user" ? AuthorRole.EndUser : AuthorRole.Agent;
        return authorId == requesterId ? AuthorRole.EndUser : AuthorRole.Agent;
    }
}
