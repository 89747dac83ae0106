using System.Net.Http.Headers;
using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

internal static class FreshdeskExtensions
{
    /// <summary>Registers the Freshdesk account as the <c>freshdesk</c> helpdesk: its Refit client behind the shared resilience and rate limits.</summary>
    public static IServiceCollection AddFreshdesk(this IServiceCollection services)
    {
        services.AddHelpdeskApi<IFreshdeskApi>("freshdesk", options => new HelpdeskConnection(
            options.Freshdesk.ResolveBaseUrl(), Authorization(options.Freshdesk), options.Freshdesk.Timeout, options.Freshdesk.RateLimit),
            FreshdeskJsonContext.Default);
        services.TryAddTransient<FreshdeskClient>();
        services.AddTransient<IHelpdesk>(sp => sp.GetRequiredService<FreshdeskClient>());
        return services;
    }

    /// <summary>Freshdesk API keys go as Basic <c>{key}:X</c> (the password is ignored).</summary>
    internal static AuthenticationHeaderValue? Authorization(FreshdeskOptions freshdesk) =>
        string.IsNullOrWhiteSpace(freshdesk.ApiKey)
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{freshdesk.ApiKey}:X")));
}
