using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

internal sealed partial class ZendeskClient
{
    /// <summary>
    /// Show User for the requester (tags, <c>user_fields</c>), then Show Organization for the ticket's organization,
    /// else the requester's (tags, <c>organization_fields</c>). A 404 on either leaves that half empty.
    /// </summary>
    public async Task<HelpdeskCustomer> GetCustomerAsync(HelpdeskTicket ticket, CancellationToken ct)
    {
        ZendeskUser? user = null;
        if (ticket.RequesterId is { Length: > 0 } requester)
            user = (await _answers.FindAsync(api.ShowUserAsync(requester, ct), ct))?.User;
        var organizationId = ticket.OrganizationId ?? user?.OrganizationId?.ToString(CultureInfo.InvariantCulture);
        ZendeskOrganization? organization = null;
        if (organizationId is not null)
            organization = (await _answers.FindAsync(api.ShowOrganizationAsync(organizationId, ct), ct))?.Organization;
        return ZendeskMapping.ToCustomer(user, organization);
    }
}
