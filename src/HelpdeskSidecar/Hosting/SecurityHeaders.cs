namespace HelpdeskSidecar.Hosting;

/// <summary>
/// Response headers that hold for every route, set when the response starts (so after the forwarded-headers middleware
/// has said whether the original request was https, and whatever the endpoint or an error handler wrote):
/// <list type="bullet">
/// <item><c>X-Content-Type-Options: nosniff</c> everywhere;</item>
/// <item><c>Cache-Control: no-store</c> on <c>/api</c>, <c>/console</c> and <c>/feedback</c> (data, sessions and
/// one-time links must not sit in a shared or browser cache);</item>
/// <item>on <c>/feedback/{token}</c>, whose URL is the capability: the console's strict CSP (nothing may frame it) and
/// <c>Referrer-Policy: no-referrer</c>, so the token never leaves in a <c>Referer</c>;</item>
/// <item><c>Strict-Transport-Security</c> when the request came over https, directly or through a known proxy's
/// <c>X-Forwarded-Proto</c> (<c>Sidecar:Access:KnownProxies</c>); never for localhost, as ASP.NET Core's own HSTS.</item>
/// </list>
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>Everything from this origin, no inline script or style, nothing may frame the page, forms post here only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    /// <summary>One year; no <c>includeSubDomains</c>: the sidecar does not speak for its parent domain's other hosts.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Apply(HttpContext context)
    {
        var (request, headers) = (context.Request, context.Response.Headers);
        headers.XContentTypeOptions = "nosniff";
        if (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/console") || request.Path.StartsWithSegments("/feedback"))
            headers.CacheControl = "no-store";
        if (request.Path.StartsWithSegments("/feedback"))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }
        if (request.IsHttps && !LoopbackHosts.Contains(request.Host.Host, StringComparer.OrdinalIgnoreCase))
            headers.StrictTransportSecurity = StrictTransportSecurity;
    }
}
