namespace HelpdeskSidecar.Access;

/// <summary><c>Sidecar:Access</c>: console sign-in, the limit on failed sign-ins, and the reverse proxies trusted to say who the client is.</summary>
public sealed class AccessOptions
{
    public const string Section = "Sidecar:Access";

    /// <summary>A console session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// A console session ends this long after sign-in however active it is (absolute, beside the sliding idle timeout):
    /// a stolen cookie is worth at most this long.
    /// </summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Failed sign-ins allowed per user name and per client IP address in one (sliding) <see cref="LoginWindow"/>.</summary>
    public int LoginAttempts { get; set; } = 5;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// IP addresses of reverse proxies whose <c>X-Forwarded-For</c> names the client (e.g. <c>10.0.0.5</c>) and whose
    /// <c>X-Forwarded-Proto</c> says whether the client used https (then cookies are <c>Secure</c> and HSTS is sent).
    /// Empty: the headers are ignored; the client is the connection's address and scheme.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>The certificate that encrypts the data-protection key ring at rest (see <see cref="KeyRingOptions"/>).</summary>
    public KeyRingOptions KeyRing { get; set; } = new();
}
