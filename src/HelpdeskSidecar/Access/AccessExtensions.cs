using System.Net;
using System.Security.Claims;
using HelpdeskSidecar.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Access;

/// <summary>
/// Who is calling: a console cookie (<c>/console</c>, and reads of <c>/api</c> from the console) or a bearer token
/// (<c>/api</c>). One policy scheme picks between them per request. Webhooks, health, OpenAPI and the signed
/// feedback links ask for no authorization and keep their own checks.
/// </summary>
internal static class AccessExtensions
{
    public const string PolicyScheme = "sidecar";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "sidecar.console";

    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart()
            .Validate(o => o.LoginAttempts > 0 && o.LoginWindow > TimeSpan.Zero, "Sidecar:Access:LoginAttempts and LoginWindow must be positive.")
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero, "Sidecar:Access:SessionIdleTimeout must be positive.")
            .Validate(o => o.SessionAbsoluteLifetime > TimeSpan.Zero, "Sidecar:Access:SessionAbsoluteLifetime must be positive.")
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Sidecar:Access:KnownProxies must list IP addresses (e.g. 10.0.0.5), one per entry.");
        builder.Services.TryAddSingleton<UserStore>();
        builder.Services.TryAddSingleton<TokenStore>();
        builder.Services.TryAddSingleton<SessionStore>();
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddDocumentTransformer<AccessOpenApi>());

        // Cookies and antiforgery tokens stay valid across restarts: the keys live beside the data (0600 files in a 0700
        // folder), encrypted with Sidecar:Access:KeyRing's certificate when one is configured.
        builder.AddKeyRing();

        builder.Services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Console cookie or API token", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
            .AddCookie(CookieScheme, ConfigureCookie);
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<AccessOptions>>((o, access) =>
            o.ExpireTimeSpan = access.Value.SessionIdleTimeout);

        builder.Services.AddAuthorization(o =>
        {
            foreach (var (name, roles) in AccessPolicies.RolesFor)
                o.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireRole(roles.Select(r => r.ToString())));
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "sidecar.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.TryAddSingleton<LoginThrottle>();
        // X-Forwarded-For and X-Forwarded-Proto count only from the proxies named in Sidecar:Access:KnownProxies (the
        // defaults, loopback, are dropped). With no proxy named the headers are not read at all: empty lists would make the
        // middleware trust anyone. A proxy that terminates TLS says https: cookies are then Secure and HSTS is sent.
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AccessOptions>>((o, access) =>
        {
            o.ForwardedHeaders = access.Value.KnownProxies.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in access.Value.KnownProxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
        });
        return builder;
    }

    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(CloseUnguardedAsync);
        return app;
    }

    /// <summary>
    /// The whole of <c>/api</c> and <c>/console</c> is closed to anonymous callers even where an endpoint forgot to
    /// ask for a role (one added later without <c>RequireAuthorization</c>): it still needs a signed-in caller.
    /// Endpoints that ask for a role or allow anonymous access were already decided by the authorization middleware.
    /// </summary>
    private static Task CloseUnguardedAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        var path = context.Request.Path;
        if (endpoint is null || !(path.StartsWithSegments("/api") || path.StartsWithSegments("/console"))
            || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null
            || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null
            || context.User.Identity?.IsAuthenticated == true)
            return next(context);
        return context.ChallengeAsync();
    }

    /// <summary>
    /// The console takes only its cookie: a bearer token on a console page is not a sign-in (it is sent to the sign-in
    /// page like any stranger). Elsewhere a bearer header means the token scheme; otherwise the console cookie, which on
    /// <c>/api</c> only serves reads (the console's CSV links): an <c>/api</c> write needs a token, so no form on another
    /// site can make one.
    /// </summary>
    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/console"))
            return CookieScheme;
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return ApiTokenHandler.SchemeName;
        if (IsApi(context.Request))
            return (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) && context.Request.Cookies.ContainsKey(CookieName)
                ? CookieScheme
                : ApiTokenHandler.SchemeName;
        return CookieScheme;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.SlidingExpiration = true;
        o.LoginPath = "/console/login";
        o.LogoutPath = "/console/logout";
        o.AccessDeniedPath = "/console/denied";
        o.Events.OnRedirectToLogin = context => IsApi(context.Request)
            ? AccessProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign-in required", "The console session has ended; sign in again.")
            : Redirect(context);
        o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
            ? AccessProblems.ForbiddenAsync(context.HttpContext)
            : Redirect(context);
        o.Events.OnValidatePrincipal = ValidateUserAsync;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The claim that carries the user's session stamp from sign-in (see <see cref="ConsoleUser.SessionStamp"/>).</summary>
    public const string SessionStampClaim = "sidecar:session-stamp";

    /// <summary>The server-side session's id (<see cref="SessionStore"/>); signing out deletes it.</summary>
    public const string SessionIdClaim = "sidecar:session-id";

    /// <summary>When the user signed in (UTC); the cookie's own issue time moves with every sliding renewal, this does not.</summary>
    public const string SessionIssuedClaim = "sidecar:session-issued";

    /// <summary>The principal a console cookie carries from sign-in.</summary>
    public static ClaimsPrincipal ConsolePrincipal(ConsoleUser user, SessionRecord session) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString()), new Claim(SessionStampClaim, user.SessionStamp),
            new Claim(SessionIdClaim, session.Id), new Claim(SessionIssuedClaim, SessionStore.Format(session.IssuedAt)),
        ], CookieScheme));

    /// <summary>
    /// Runs on every request with a console cookie: the session ends when its user is gone (<c>users remove</c>),
    /// disabled, has another role, or another session stamp (a password or role reset, a disable or an enable since
    /// sign-in); when it was signed out (its server-side row is gone, so a copy of the cookie is worthless too); and
    /// <see cref="AccessOptions.SessionAbsoluteLifetime"/> after sign-in, however active.
    /// </summary>
    private static async Task ValidateUserAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var ct = context.HttpContext.RequestAborted;
        var name = context.Principal?.Identity?.Name;
        var role = context.Principal?.FindFirstValue(ClaimTypes.Role);
        var stamp = context.Principal?.FindFirstValue(SessionStampClaim);
        var sessionId = context.Principal?.FindFirstValue(SessionIdClaim);
        var issued = SessionStore.Parse(context.Principal?.FindFirstValue(SessionIssuedClaim));
        var user = name is null ? null : await services.GetRequiredService<UserStore>().FindAsync(name, ct);
        var valid = user is { Disabled: false } && user.Role.ToString() == role && user.SessionStamp == stamp
            && sessionId is not null && issued is { } at && await services.GetRequiredService<SessionStore>().IsOpenAsync(sessionId, user.Name, at, ct);
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    /// <summary>The name the audit records for the caller: the user's or the token's.</summary>
    public static string ActorName(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    public static Role? RoleOf(this ClaimsPrincipal user) =>
        Roles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;
}
