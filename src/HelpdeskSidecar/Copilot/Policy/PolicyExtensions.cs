using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Copilot.Policy;

internal static class PolicyExtensions
{
    public static IHostApplicationBuilder AddPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<PolicyProvider>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PolicyWarmUp>());
        return builder;
    }

    /// <summary>
    /// Loads the policy when the host starts, so the file validated at start is the "last good" one even if it is
    /// edited before the first ticket arrives.
    /// </summary>
    private sealed class PolicyWarmUp(PolicyProvider policy) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = policy.Current;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
