namespace HelpdeskSidecar.Access;

/// <summary><c>Sidecar:Access</c>: console sign-in and the login rate limit.</summary>
public sealed class AccessOptions
{
    public const string Section = "Sidecar:Access";

    /// <summary>A console session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts allowed per client IP address in one <see cref="LoginWindow"/>.</summary>
    public int LoginAttempts { get; set; } = 5;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);
}
