using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// Where an agent opens a ticket in the configured helpdesk: Zendesk <c>https://{subdomain}.zendesk.com/agent/tickets/{id}</c>,
/// Freshdesk <c>https://{domain}/a/tickets/{id}</c>, on the same base URL the API client resolves (so a configured
/// <c>BaseUrl</c> wins). None for a helpdesk that is not configured (the replay demo).
/// </summary>
internal static class HelpdeskTicketLinks
{
    public static string? For(IOptions<SidecarOptions> options, string provider, string ticketId)
    {
        var o = options.Value;
        var id = Uri.EscapeDataString(ticketId);
        return provider switch
        {
            "zendesk" when o.Zendesk.IsConfigured => new Uri(o.Zendesk.ResolveBaseUrl(), $"agent/tickets/{id}").ToString(),
            "freshdesk" when o.Freshdesk.IsConfigured => new Uri(o.Freshdesk.ResolveBaseUrl(), $"a/tickets/{id}").ToString(),
            _ => null,
        };
    }
}
