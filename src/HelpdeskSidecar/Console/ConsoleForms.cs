using Microsoft.AspNetCore.Antiforgery;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// Every console POST passes ASP.NET Core antiforgery first; a missing or foreign token gets a 400 page, and the
/// handler never runs.
/// </summary>
internal sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            if (!http.Request.HasFormContentType)
                throw new AntiforgeryValidationException("Not a form post.");
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Form refused",
                "This form has expired or did not come from the console. Go back, reload the page and try again.");
        }
        return await next(context);
    }
}

internal static class ConsoleFormExtensions
{
    public static RouteHandlerBuilder WithAntiforgery(this RouteHandlerBuilder builder) => builder.AddEndpointFilter<AntiforgeryFilter>();

    /// <summary>A relative URL inside the console or its jobs dashboard, or the overview: never somewhere else (no open redirect).</summary>
    public static string LocalConsoleUrl(string? url) =>
        url is { Length: > 0 } u && (u.StartsWith("/console", StringComparison.Ordinal) || u == "/hangfire" || u.StartsWith("/hangfire/", StringComparison.Ordinal))
            && !u.StartsWith("//", StringComparison.Ordinal) && !u.Contains('\\', StringComparison.Ordinal)
            ? u
            : "/console";
}
