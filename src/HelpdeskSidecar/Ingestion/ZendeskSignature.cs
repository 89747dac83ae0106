using System.Security.Cryptography;
using System.Text;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// Zendesk webhook signature: Base64(HMAC-SHA256(secret, timestamp ‖ raw body)). The secret is used
/// verbatim as key bytes (it looks like Base64 but is not decoded).
/// </summary>
internal static class ZendeskSignature
{
    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(Encoding.UTF8.GetBytes(secret), timestamp, body, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>True when <paramref name="signature"/> matches any secret. Every secret is tried, each in constant time.</summary>
    public static bool Verify(IReadOnlyList<byte[]> secrets, string timestamp, ReadOnlySpan<byte> body, string signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature, given, out var written) || written != HMACSHA256.HashSizeInBytes)
            return false;
        given = given[..written];

        var match = false;
        foreach (var secret in secrets)
        {
            ComputeMac(secret, timestamp, body, expected);
            match |= CryptographicOperations.FixedTimeEquals(expected, given);
        }
        return match;
    }

    private static void ComputeMac(byte[] key, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
