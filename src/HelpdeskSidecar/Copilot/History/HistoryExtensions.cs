using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Copilot.History;

internal static class HistoryExtensions
{
    /// <summary>The customer's history (<c>Sidecar:History</c>) and verified resolution (<c>Sidecar:Resolution</c>), checked at start.</summary>
    public static IHostApplicationBuilder AddCustomerHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section)
            .Validate(o => o.Window > TimeSpan.Zero, $"{HistoryOptions.Section}:Window must be a positive duration, e.g. 30.00:00:00.")
            .Validate(o => o.MaxTickets is >= 1 and <= 50, $"{HistoryOptions.Section}:MaxTickets must be from 1 to 50.")
            .ValidateOnStart();
        builder.Services.AddOptions<ResolutionOptions>().BindConfiguration(ResolutionOptions.Section)
            .Validate(o => o.Window > TimeSpan.Zero, $"{ResolutionOptions.Section}:Window must be a positive duration, e.g. 7.00:00:00.")
            .Validate(o => o.SimilarityThreshold is > 0 and <= 1, $"{ResolutionOptions.Section}:SimilarityThreshold must be above 0 and at most 1.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<TicketOutcomeStore>();
        builder.Services.TryAddSingleton<ResolutionTracker>();
        builder.Services.TryAddSingleton<CustomerHistoryReader>();
        builder.Services.TryAddSingleton<Reports.Resolution.IResolutionReportQuery, Reports.Resolution.ResolutionQuery>();
        return builder;
    }
}
