using HelpdeskSidecar.Copilot.Classification;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Copilot.Policy;

internal static partial class PolicyExtensions
{
    public static IHostApplicationBuilder AddPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<PolicyProvider>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PolicyWarmUp>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PolicyIntentCheck>());
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

    /// <summary>
    /// Trains the classifier once the host has started (the pipeline would on its first ticket) and checks the policy
    /// against its intents, so a rule naming an intent the classifier does not know is logged at start, not only later.
    /// </summary>
    private sealed partial class PolicyIntentCheck(ClassifierHost classifiers, PolicyProvider policy, ILogger<PolicyIntentCheck> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                if (await classifiers.GetAsync(stoppingToken) is not null)
                    policy.Reload();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Advisory only: the pipeline trains (and fails loudly) on its own; this must not stop the host.
                LogSkipped(e.GetType().Name);
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "The policy's intents were not checked against the classifier at start ({Error})")]
        private partial void LogSkipped(string error);
    }
}
