using FluentValidation;

namespace HelpdeskSidecar.Ingestion;

internal static class IngestionExtensions
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ZendeskWebhookSecrets>();
        builder.Services.AddSingleton<IValidator<ZendeskEvent>, ZendeskEventValidator>();
        builder.Services.AddSingleton<FreshdeskWebhookSecret>();
        builder.Services.AddSingleton<IValidator<FreshdeskEvent>, FreshdeskEventValidator>();
        builder.Services.AddSingleton<InboxSignal>();
        builder.Services.AddSingleton<InboxWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxWriter>());
        return builder;
    }

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/zendesk", ZendeskWebhookEndpoint.HandleAsync)
            .WithName("ZendeskWebhook")
            .Accepts<ZendeskEvent>("application/json");
        webhooks.MapPost("/freshdesk", FreshdeskWebhookEndpoint.HandleAsync)
            .WithName("FreshdeskWebhook")
            .Accepts<FreshdeskEvent>("application/json");
        return app;
    }
}
