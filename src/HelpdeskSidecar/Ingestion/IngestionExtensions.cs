using FluentValidation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

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
        builder.Services.AddSingleton<InboxPayloadRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxPayloadRetention>());
        return builder;
    }

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        // The body is documented for OpenAPI only: Accepts(...) metadata would make routing answer 415 to a request of
        // another content type before the handler checks the signature, and authentication comes first.
        var webhooks = app.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/zendesk", ZendeskWebhookEndpoint.HandleAsync)
            .WithName("ZendeskWebhook")
            .AddOpenApiOperationTransformer(JsonBody<ZendeskEvent>);
        webhooks.MapPost("/freshdesk", FreshdeskWebhookEndpoint.HandleAsync)
            .WithName("FreshdeskWebhook")
            .AddOpenApiOperationTransformer(JsonBody<FreshdeskEvent>);
        return app;
    }

    private static async Task JsonBody<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct) =>
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [WebhookProblems.Json] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct) },
            },
        };
}
