using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Helpdesks;

/// <summary>
/// The helpdesk clients as the host builds them (Refit client, standard resilience handler, rate limiter), from
/// options alone: client tests exercise the real registration, not a hand-assembled HttpClient.
/// </summary>
internal static class HelpdeskClients
{
    public static ZendeskClient Zendesk(ZendeskOptions options, TimeProvider? time = null) =>
        Services(new SidecarOptions { Zendesk = options }, time).AddZendesk().BuildServiceProvider().GetRequiredService<ZendeskClient>();

    public static FreshdeskClient Freshdesk(FreshdeskOptions options, TimeProvider? time = null) =>
        Services(new SidecarOptions { Freshdesk = options }, time).AddFreshdesk().BuildServiceProvider().GetRequiredService<FreshdeskClient>();

    private static ServiceCollection Services(SidecarOptions options, TimeProvider? time)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        return services;
    }
}
