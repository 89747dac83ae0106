using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Copilot.Policy;

internal static class PolicyExtensions
{
    public static IHostApplicationBuilder AddPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<PolicyProvider>();
        return builder;
    }
}
