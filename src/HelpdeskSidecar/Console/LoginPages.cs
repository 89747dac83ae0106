using System.Globalization;
using System.Security.Claims;
using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary><c>/console/login</c> (GET form, POST limited by failed attempts per name and per client; opens a server-side session), <c>/console/logout</c> (ends it), <c>/console/denied</c>.</summary>
internal static class LoginPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/login", Show).AllowAnonymous();
        console.MapPost("/login", SignInAsync).AllowAnonymous().WithAntiforgery();
        console.MapPost("/logout", (Func<HttpContext, SessionStore, CancellationToken, Task<IResult>>)SignOutAsync).AllowAnonymous().WithAntiforgery();
        console.MapGet("/denied", Denied).AllowAnonymous();
    }

    private static IResult Show(HttpContext http, string? returnUrl) =>
        http.User.Identity?.IsAuthenticated == true
            ? TypedResults.Redirect(ConsoleFormExtensions.LocalConsoleUrl(returnUrl))
            : Form(http, returnUrl, null, StatusCodes.Status200OK);

    private static async Task<IResult> SignInAsync(HttpContext http, UserStore users, SessionStore sessions, LoginThrottle throttle, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        // Only failures count, per name and per client (the address X-Forwarded-For gives when a known proxy sent it).
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.RetryAfterAsync(name, client, ct) is { } wait)
            return TooManyAttempts(http, wait);
        var user = name.Length is > 0 and <= 100 && password.Length is > 0 and <= 1000 ? await users.SignInAsync(name, password, ct) : null;
        if (user is null)
        {
            await throttle.FailedAsync(name, client, ct);
            return Form(http, returnUrl, "Wrong name or password.", StatusCodes.Status401Unauthorized);
        }
        await throttle.SucceededAsync(name, ct);
        var session = await sessions.OpenAsync(user.Name, ct);
        await http.SignInAsync(AccessExtensions.CookieScheme, AccessExtensions.ConsolePrincipal(user, session), new AuthenticationProperties { IsPersistent = false });
        return TypedResults.Redirect(ConsoleFormExtensions.LocalConsoleUrl(returnUrl));
    }

    /// <summary>
    /// Ends this browser's session on the server too (its row goes), so a copy of the cookie opens nothing afterwards;
    /// the user's sessions in other browsers stay.
    /// </summary>
    private static async Task<IResult> SignOutAsync(HttpContext http, SessionStore sessions, CancellationToken ct)
    {
        if (http.User.FindFirstValue(AccessExtensions.SessionIdClaim) is { } sessionId)
            await sessions.EndAsync(sessionId, ct);
        await http.SignOutAsync(AccessExtensions.CookieScheme);
        return TypedResults.Redirect("/console/login");
    }

    private static ContentHttpResult Denied(HttpContext http, string? returnUrl) =>
        ConsoleLayout.Page(http, "Not allowed", "", Html.Of($"""
            <p class="message error" id="denied-message" role="alert">Your role ({http.User.RoleOf()?.ToString() ?? "none"}) cannot open {returnUrl ?? "this page"}.</p>
            <p><a href="/console">Back to the overview</a></p>
            """), StatusCodes.Status403Forbidden);

    private static ContentHttpResult Form(HttpContext http, string? returnUrl, string? error, int status) =>
        ConsoleLayout.Document(http, "Sign in", Html.Of($"""<header class="top"><span class="brand">HelpdeskSidecar</span></header>"""), Html.Of($"""
            <div class="login panel">
            {Html.When(error is not null, Html.Of($"""<p class="message error" id="login-error" role="alert">{error}</p>"""))}
            <form method="post" action="/console/login" id="login-form">
              {ConsoleLayout.AntiforgeryField(http)}
              <input type="hidden" name="returnUrl" value="{ConsoleFormExtensions.LocalConsoleUrl(returnUrl)}">
              <label for="username">Name <input id="username" name="username" autocomplete="username" required autofocus></label>
              <label for="password">Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
              <button id="sign-in" type="submit">Sign in</button>
            </form>
            </div>
            """), status);

    /// <summary>The answer once too many sign-ins failed: 429 with a page a person can read, and when to try again.</summary>
    private static ContentHttpResult TooManyAttempts(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ConsoleLayout.Document(http, "Too many sign-in attempts", Html.Of($"""<header class="top"><span class="brand">HelpdeskSidecar</span></header>"""),
            Html.Of($"""<p class="message error" id="rate-limited" role="alert">Too many sign-in attempts failed for this name or from your address. Wait {seconds} seconds, then <a href="/console/login">try again</a>.</p>"""),
            StatusCodes.Status429TooManyRequests);
    }
}
