using System.Security.Claims;
using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>The page every console route renders into: head, navigation (only what the role may open), sign-out.</summary>
internal static class ConsoleLayout
{
    private sealed record NavItem(string Key, string Label, string Href, string Policy);

    private static readonly NavItem[] Nav =
    [
        new("overview", "Overview", "/console", AccessPolicies.SignedIn),
        new("suggestions", "Suggestions", "/console/suggestions", AccessPolicies.SignedIn),
        new("tagging", "Auto-tagging", "/console/tagging", AccessPolicies.Oversight),
        new("routing", "Routing", "/console/routing", AccessPolicies.Oversight),
        new("policy", "Policy", "/console/policy", AccessPolicies.Oversight),
        new("knowledge", "Knowledge", "/console/knowledge", AccessPolicies.Oversight),
        new("reports", "Reports", "/console/reports", AccessPolicies.Reports),
        new("themes", "Themes", "/console/themes", AccessPolicies.Oversight), // rising themes for ops leads, all themes for managers
        new("access", "Users and tokens", "/console/access", AccessPolicies.Admin),
        new("health", "Health", "/console/health", AccessPolicies.Oversight),
        new("jobs", "Jobs", "/hangfire", AccessPolicies.Oversight), // the Hangfire dashboard (Scheduling/SchedulingExtensions)
    ];

    public static ContentHttpResult Page(HttpContext http, string title, string nav, Html body, int status = StatusCodes.Status200OK)
    {
        var user = http.User;
        var role = user.RoleOf();
        var header = user.Identity?.IsAuthenticated == true && role is { } r
            ? Html.Of($"""
                <header class="top">
                  <span class="brand">HelpdeskSidecar</span>
                  <nav id="nav" aria-label="Console">{Html.Join(Nav.Where(n => AccessPolicies.Allows(n.Policy, r)), n => Html.Of(
                      $"""<a id="nav-{n.Key}" href="{n.Href}"{Html.When(n.Key == nav, new Html(" aria-current=\"page\""))}>{n.Label}</a>"""))}</nav>
                  <form method="post" action="/console/logout">{AntiforgeryField(http)}
                    <span id="signed-in-user">{user.ActorName()} ({r.ToString()})</span>
                    <button id="sign-out" type="submit" class="secondary">Sign out</button>
                  </form>
                </header>
                """)
            : Html.Of($"""<header class="top"><span class="brand">HelpdeskSidecar</span></header>""");
        return Document(http, title, header, body, status);
    }

    public static ContentHttpResult Document(HttpContext http, string title, Html header, Html body, int status = StatusCodes.Status200OK)
    {
        var page = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · HelpdeskSidecar</title>
            <link rel="stylesheet" href="/console/assets/console.css">
            <script src="/console/assets/console.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            {header}
            <main id="main">
            <h1 id="page-title">{title}</h1>
            {body}
            </main>
            </body>
            </html>
            """);
        SecurityHeaders(http.Response);
        return TypedResults.Content(page.Value, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A page that only says what went wrong (bad form, unknown id).</summary>
    public static ContentHttpResult Message(HttpContext http, int status, string title, string message) =>
        Page(http, title, "", Html.Of($"""<p class="message error" id="error-message" role="alert">{message}</p><p><a href="/console">Back to the overview</a></p>"""), status);

    /// <summary>The hidden field every console form carries (ASP.NET Core antiforgery).</summary>
    public static Html AntiforgeryField(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return Html.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
    }

    public static bool Can(this ClaimsPrincipal user, string policy) => user.RoleOf() is { } role && AccessPolicies.Allows(policy, role);

    /// <summary>Everything comes from this origin; nothing may frame the console; pages hold data, so no caching.</summary>
    public static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = Hosting.SecurityHeaders.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "same-origin";
    }
}
