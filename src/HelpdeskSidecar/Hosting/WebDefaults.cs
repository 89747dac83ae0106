using HelpdeskSidecar.Hosting.Readiness;

namespace HelpdeskSidecar.Hosting;

/// <summary>What every endpoint shares: problem details for errors, 127.0.0.1 by default, OpenAPI, liveness and readiness.</summary>
internal static class WebDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddWebDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddLogRedaction(); // feedback tokens never reach a log (request paths, scopes, our own entries)
        // A body the endpoint cannot bind (malformed JSON, wrong type) is the caller's mistake: a 400 problem that says
        // what could not be read, never a bare "Bad Request" and never a 500.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Status = bad.StatusCode;
                context.ProblemDetails.Title = "Invalid request";
                context.ProblemDetails.Detail = BindingProblems.Describe(bad, context.HttpContext);
            }
            else if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = UnsupportedMediaType.Detail(context.HttpContext);
            }
        });
        builder.Services.AddOpenApi();
        builder.AddReadiness();
        return builder;
    }

    public static WebApplication UseWebDefaults(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A caller's malformed body is not a server error worth an error log.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Liveness("ok"))).WithTags("Health");
        app.MapReadiness(); // /readyz: each dependency with its state
        return app;
    }
}

internal sealed record Liveness(string Status);
