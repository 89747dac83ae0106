using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Access;

/// <summary><c>Authorization: Bearer hs_…</c> on <c>/api</c>: the token's name becomes the caller's name, its role the caller's role.</summary>
internal sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 200 || await tokens.FindAsync(secret, Context.RequestAborted) is not { } token)
            return AuthenticateResult.Fail("The token is unknown or revoked.");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, token.Name), new Claim(ClaimTypes.Role, token.Role.ToString()), new Claim(AccessClaims.TokenId, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failed = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        await AccessProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Sign-in required",
            failed ? "The bearer token is unknown or revoked." : "Send 'Authorization: Bearer <token>'; an admin creates one with 'tokens create --role <role>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AccessProblems.ForbiddenAsync(Context);
}

internal static class AccessClaims
{
    public const string TokenId = "sidecar:token_id";
}

/// <summary>401 and 403 on <c>/api</c> as <c>application/problem+json</c>, whichever scheme refused the caller.</summary>
internal static class AccessProblems
{
    public static Task ForbiddenAsync(HttpContext context)
    {
        var role = context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        return WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"The role '{role}' may not use {context.Request.Method} {context.Request.Path}.");
    }

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
            }))
            await context.Response.WriteAsync(detail);
    }
}
