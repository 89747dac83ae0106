using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Freshdesk;
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
            services.AddZendesk();

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
}
