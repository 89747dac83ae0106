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
            user = (await FindAsync($"api/v2/users/{Uri.EscapeDataString(requester)}", ZendeskJsonContext.Default.ZendeskUserEnvelope, ct))?.User;
        var organizationId = ticket.OrganizationId ?? user?.OrganizationId?.ToString(CultureInfo.InvariantCulture);
        ZendeskOrganization? organization = null;
        if (organizationId is not null)
            organization = (await FindAsync($"api/v2/organizations/{Uri.EscapeDataString(organizationId)}", ZendeskJsonContext.Default.ZendeskOrganizationEnvelope, ct))?.Organization;
        return ZendeskMapping.ToCustomer(user, organization);
    }

    private async Task<T?> FindAsync<T>(string url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken ct) where T : class
    {
        try
        {
            return await GetJsonAsync(url, typeInfo, ct);
        }
        catch (HelpdeskException ex) when (ex.NotFound)
        {
            return null;
        }
    }
}
