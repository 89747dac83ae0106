using System.Net.Http.Headers;
using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

internal static class ZendeskExtensions
{
    /// <summary>Registers the Zendesk account as the <c>zendesk</c> helpdesk: its Refit client behind the shared resilience and rate limits.</summary>
    public static IServiceCollection AddZendesk(this IServiceCollection services)
    {
        services.AddHelpdeskApi<IZendeskApi>("zendesk", options => new HelpdeskConnection(
            options.Zendesk.ResolveBaseUrl(), Authorization(options.Zendesk), options.Zendesk.Timeout, options.Zendesk.RateLimit),
            ZendeskJsonContext.Default);
        services.TryAddTransient<ZendeskClient>();
        services.AddTransient<IHelpdesk>(sp => sp.GetRequiredService<ZendeskClient>());
        return services;
    }

    /// <summary>OAuth bearer when given, else API token as Basic <c>{email}/token:{token}</c>.</summary>
    internal static AuthenticationHeaderValue? Authorization(ZendeskOptions zendesk)
    {
        if (!string.IsNullOrWhiteSpace(zendesk.OAuthToken))
            return new AuthenticationHeaderValue("Bearer", zendesk.OAuthToken);
        if (!string.IsNullOrWhiteSpace(zendesk.Email) && !string.IsNullOrWhiteSpace(zendesk.ApiToken))
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{zendesk.Email}/token:{zendesk.ApiToken}")));
        return null;
    }
}
