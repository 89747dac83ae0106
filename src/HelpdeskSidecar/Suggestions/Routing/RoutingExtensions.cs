using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Suggestions.Routing;

internal static class RoutingExtensions
{
    public static IServiceCollection AddTicketRouting(this IServiceCollection services)
    {
        services.TryAddSingleton<RoutingStore>();
        services.TryAddSingleton<RoutingPolicy>();
        services.TryAddSingleton<RouteWrites>();
        services.TryAddSingleton<RouteOutcomes>();
        return services;
    }
}
