using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

internal sealed partial class FreshdeskClient
{
    /// <summary>
    /// View a Contact for the requester (tags, <c>custom_fields</c>), then View a Company for the ticket's company,
    /// else the contact's (<c>custom_fields</c> plus <c>account_tier</c>, <c>health_score</c>, <c>industry</c>).
    /// Freshdesk companies have no tags. A 404 on either leaves that half empty.
    /// </summary>
    public async Task<HelpdeskCustomer> GetCustomerAsync(HelpdeskTicket ticket, CancellationToken ct)
    {
        FreshdeskContact? contact = null;
        if (ticket.RequesterId is { Length: > 0 } requester)
            contact = await _answers.FindAsync(api.ViewContactAsync(requester, ct), ct);
        var companyId = ticket.OrganizationId ?? contact?.CompanyId?.ToString(CultureInfo.InvariantCulture);
        FreshdeskCompany? company = null;
        if (companyId is not null)
            company = await _answers.FindAsync(api.ViewCompanyAsync(companyId, ct), ct);
        return FreshdeskMapping.ToCustomer(contact, company);
    }
}
