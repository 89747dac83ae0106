using System.Net.Http.Headers;
using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Http;
using HelpdeskSidecar.Helpdesks.Replay;
using HelpdeskSidecar.Helpdesks.Zendesk;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Helpdesks;

internal static class HelpdesksExtensions
{
    public static IHostApplicationBuilder AddHelpdesks(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSidecarOptions();
        var services = builder.Services;
        services.TryAddSingleton<HelpdeskNames>();

        if (options.Zendesk.IsConfigured)
        {
            services.AddHttpClient<ZendeskClient>((sp, http) =>
                {
                    var zendesk = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SidecarOptions>>().Value.Zendesk;
                    http.BaseAddress = zendesk.ResolveBaseUrl();
                    http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
                    http.DefaultRequestHeaders.Authorization = ZendeskAuthorization(zendesk);
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("HelpdeskSidecar/0.1");
                })
                .AddHttpMessageHandler(sp => new ResilienceHandler(
                    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SidecarOptions>>().Value.Zendesk.Timeout,
                    sp.GetRequiredService<TimeProvider>()))
                .AddHttpMessageHandler(sp => new RateLimitHandler(sp.GetRequiredKeyedService<AccountRateLimiter>("zendesk")));
            services.AddKeyedSingleton("zendesk", (sp, _) => new AccountRateLimiter(
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SidecarOptions>>().Value.Zendesk.RateLimit, sp.GetRequiredService<TimeProvider>()));
            services.AddTransient<IHelpdesk>(sp => sp.GetRequiredService<ZendeskClient>());
        }

        if (options.Freshdesk.IsConfigured)
            services.AddFreshdesk();

        if (!string.IsNullOrWhiteSpace(options.Replay.File))
        {
            services.TryAddSingleton<ReplayHelpdesk>();
            services.AddSingleton<IHelpdesk>(sp => sp.GetRequiredService<ReplayHelpdesk>());
        }

        services.AddTransient<HelpdeskRegistry>();
        return builder;
    }

    /// <summary>OAuth bearer when given, else API token as Basic <c>{email}/token:{token}</c>.</summary>
    internal static AuthenticationHeaderValue? ZendeskAuthorization(ZendeskOptions zendesk)
    {
        if (!string.IsNullOrWhiteSpace(zendesk.OAuthToken))
            return new AuthenticationHeaderValue("Bearer", zendesk.OAuthToken);
        if (!string.IsNullOrWhiteSpace(zendesk.Email) && !string.IsNullOrWhiteSpace(zendesk.ApiToken))
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{zendesk.Email}/token:{zendesk.ApiToken}")));
        return null;
    }
}
