using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Hosting;

/// <summary>What every endpoint shares: problem details for errors, 127.0.0.1 by default, OpenAPI, health.</summary>
internal static class WebDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddWebDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication UseWebDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Health");
        app.MapGet("/readyz", async (SqliteDatabase database, CancellationToken ct) =>
        {
            await using var connection = await database.OpenAsync(ct);
            return TypedResults.Ok(new HealthStatus("ready"));
        }).WithTags("Health");
        return app;
    }
}

internal sealed record HealthStatus(string Status);
