using System.Net.Http.Headers;
using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

internal static class FreshdeskExtensions
{
    /// <summary>Registers the Freshdesk account as the <c>freshdesk</c> helpdesk, behind the shared resilience pipeline.</summary>
    public static IServiceCollection AddFreshdesk(this IServiceCollection services)
    {
        services.AddKeyedSingleton("freshdesk", (sp, _) => new AccountRateLimiter(
            sp.GetRequiredService<IOptions<SidecarOptions>>().Value.Freshdesk.RateLimit, sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient<FreshdeskClient>((sp, http) =>
            {
                var freshdesk = sp.GetRequiredService<IOptions<SidecarOptions>>().Value.Freshdesk;
                http.BaseAddress = freshdesk.ResolveBaseUrl();
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
                http.DefaultRequestHeaders.Authorization = Authorization(freshdesk);
                http.DefaultRequestHeaders.UserAgent.ParseAdd("HelpdeskSidecar/0.1");
            })
            .AddHttpMessageHandler(sp => new ResilienceHandler(
                sp.GetRequiredService<IOptions<SidecarOptions>>().Value.Freshdesk.Timeout,
                sp.GetRequiredService<TimeProvider>()))
            .AddHttpMessageHandler(sp => new RateLimitHandler(sp.GetRequiredKeyedService<AccountRateLimiter>("freshdesk")));
        services.AddTransient<IHelpdesk>(sp => sp.GetRequiredService<FreshdeskClient>());
        return services;
    }

    /// <summary>Freshdesk API keys go as Basic <c>{key}:X</c> (the password is ignored).</summary>
    internal static AuthenticationHeaderValue? Authorization(FreshdeskOptions freshdesk) =>
        string.IsNullOrWhiteSpace(freshdesk.ApiKey)
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{freshdesk.ApiKey}:X")));
}
