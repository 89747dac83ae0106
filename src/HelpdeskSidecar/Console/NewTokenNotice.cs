using System.Globalization;
using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.DataProtection;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// Carries a new token's secret from the POST that created it to the one page view after the redirect: a cookie
/// encrypted with data protection (so it works on any replica and after a restart), for the admin who made it only,
/// read once and deleted on that read, and good for <see cref="Lifetime"/> at most.
/// </summary>
internal sealed class NewTokenNotice(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "sidecar.new-token";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const string CookiePath = "/console/access";

    private readonly IDataProtector _protector = protection.CreateProtector("HelpdeskSidecar.Console.NewTokenNotice.v1");

    public void Put(HttpContext http, string secret)
    {
        var issued = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var value = _protector.Protect(string.Join('\n', issued, http.User.ActorName(), secret));
        http.Response.Cookies.Append(CookieName, value, Options(http, Lifetime));
    }

    /// <returns>The secret when this request carries a fresh notice for the signed-in user; the notice is gone afterwards.</returns>
    public string? Take(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value))
            return null;
        http.Response.Cookies.Delete(CookieName, Options(http, null));
        string[] parts;
        try
        {
            parts = _protector.Unprotect(value).Split('\n', 3);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || parts[1] != http.User.ActorName())
            return null;
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        return age >= TimeSpan.Zero && age <= Lifetime ? parts[2] : null;
    }

    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        Path = CookiePath,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
