using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HelpdeskSidecar.Access;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a random 16-byte salt per password, stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (Base64), so the work factor can be raised without breaking old hashes.
/// </summary>
internal static class PasswordHasher
{
    public const int Iterations = 210_000;
    public const int MinimumLength = 8;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Compares in constant time; a malformed stored value verifies nothing.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (salt.Length < SaltBytes || expected.Length < HashBytes)
            return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <returns>Why the password cannot be used, or null.</returns>
    public static string? Check(string? password) =>
        string.IsNullOrEmpty(password) ? "the password is empty"
        : string.IsNullOrWhiteSpace(password) ? "the password is blank (only spaces)"
        : password.Length < MinimumLength ? $"the password must be at least {MinimumLength} characters"
        : null;
}
