using FluentValidation;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Suggestions.Tagging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Suggestions;

internal static class SuggestionsExtensions
{
    public static IHostApplicationBuilder AddSuggestions(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SuggestionStore>();
        builder.Services.TryAddSingleton<InsertionStore>();
        builder.Services.TryAddSingleton<IVerdictWriter, VerdictStore>();
        builder.Services.TryAddTransient<AcceptanceTracker>();
        builder.Services.TryAddSingleton<ShadowEvaluation>();
        builder.Services.TryAddSingleton<FeedbackLinks>();
        builder.Services.TryAddSingleton<TaggingStore>();
        builder.Services.TryAddSingleton<TaggingPolicy>();
        builder.Services.TryAddSingleton<TagOutcomes>();
        Routing.RoutingExtensions.AddTicketRouting(builder.Services);
        builder.Services.TryAddSingleton<IValidator<FeedbackRequest>, FeedbackRequestValidator>();
        builder.Services.TryAddSingleton<IValidator<TagRuleRequest>, TagRuleRequestValidator>();
        return builder;
    }

    /// <summary>The tagging rules and the signed feedback links.</summary>
    public static IEndpointRouteBuilder MapApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapTaggingEndpoints();
        Routing.RoutingEndpoints.MapRoutingEndpoints(app);
        app.MapFeedbackLinkEndpoints();
        return app;
    }
}
