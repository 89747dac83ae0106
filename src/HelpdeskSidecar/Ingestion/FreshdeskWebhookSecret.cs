using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// The shared secret a Freshdesk rule sends (Freshdesk signs nothing). Compared as SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither content nor length leaks through timing.
/// </summary>
internal sealed class FreshdeskWebhookSecret
{
    public const string Header = "X-Sidecar-Webhook-Secret";

    private readonly byte[]? _digest;

    public FreshdeskWebhookSecret(IOptions<SidecarOptions> options)
    {
        var secret = options.Value.Freshdesk.WebhookSecret;
        _digest = string.IsNullOrEmpty(secret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    public bool IsConfigured => _digest is not null;

    /// <summary>True when the Basic password (any user name) or the secret header carries the secret.</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        if (_digest is null)
            return false;
        var basic = Matches(BasicPassword(request.Headers.Authorization.ToString()));
        var header = Matches(request.Headers[Header].ToString());
        return basic | header;
    }

    private bool Matches(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
            return false;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    private static string? BasicPassword(string authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is not { Length: > 0 and <= 4096 } encoded)
            return null;
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
            return null;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..];
    }
}
