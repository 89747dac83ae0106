using HelpdeskSidecar.Copilot.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Copilot;

internal static class CopilotExtensions
{
    public static IHostApplicationBuilder AddCopilot(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<CopilotPipeline>();
        builder.Services.TryAddSingleton<Classification.HistoryStore>();
        builder.Services.TryAddSingleton<Classification.ClassifierHost>();
        builder.Services.TryAddSingleton<TicketReader>();
        builder.AddPolicy();
        return builder;
    }
}
