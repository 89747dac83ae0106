using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>What a feedback link says, once its signature and expiry have been checked.</summary>
internal sealed record FeedbackLinkClaim(string SuggestionId, string Action, DateTimeOffset ExpiresAt, string Signature);

internal enum FeedbackLinkCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
}

/// <summary>
/// Accept / reject links for a note: <c>{PublicBaseUrl}/feedback/{payload}.{signature}</c>, where the payload is
/// base64url of <c>suggestion|action|expiry</c> and the signature base64url HMAC-SHA256 of the payload. The link
/// is the capability (agents click it from inside the helpdesk, without a sidecar login), so it expires and is
/// accepted once: its MAC, in the one spelling <see cref="Token"/> writes, is stored on use. A token that is not
/// exactly that spelling (padding, whitespace, a percent-encoded blank the decoder would skip) is malformed, so one
/// link cannot be respelled into a fresh, unused one.
/// </summary>
internal sealed class FeedbackLinks
{
    public const string Accept = "accept";
    public const string Reject = "reject";

    private readonly byte[] _key;
    private readonly FeedbackLinkOptions _options;
    private readonly TimeProvider _time;

    /// <param name="shared">With several replicas (PostgreSQL), the key they all sign with, made by the first to ask;
    /// otherwise the key file in the data dir. A configured <c>Sidecar:Feedback:SigningKey</c> wins over both.</param>
    public FeedbackLinks(IOptions<SidecarOptions> options, TimeProvider time, Storage.Shared.SharedSecrets? shared = null)
    {
        _options = options.Value.Feedback;
        _time = time;
        _key = !string.IsNullOrWhiteSpace(_options.SigningKey) ? Encoding.UTF8.GetBytes(_options.SigningKey)
            : shared is { IsShared: true } ? Task.Run(() => shared.GetOrCreateAsync("feedback-links", 32, CancellationToken.None)).GetAwaiter().GetResult()
            : KeyFile(Path.Combine(options.Value.FullDataDir, "feedback-links.key"));
    }

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.PublicBaseUrl);

    /// <summary>The accept and reject links for a suggestion, or none when no public URL is configured.</summary>
    public IReadOnlyList<(string Action, string Url)> For(string suggestionId)
    {
        if (!Enabled)
            return [];
        var expires = _time.GetUtcNow() + _options.LinkLifetime;
        var root = _options.PublicBaseUrl!.TrimEnd('/');
        return [(Accept, $"{root}/feedback/{Token(suggestionId, Accept, expires)}"), (Reject, $"{root}/feedback/{Token(suggestionId, Reject, expires)}")];
    }

    public string Token(string suggestionId, string action, DateTimeOffset expires)
    {
        var payload = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{suggestionId}|{action}|{expires.ToUnixTimeSeconds()}"));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload))}";
    }

    public (FeedbackLinkCheck Check, FeedbackLinkClaim? Claim) Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 2 || !TryDecodeCanonical(parts[0], out var payload) || !TryDecodeCanonical(parts[1], out var signature))
            return (FeedbackLinkCheck.Malformed, null);
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), signature))
            return (FeedbackLinkCheck.BadSignature, null);
        var fields = Encoding.UTF8.GetString(payload).Split('|');
        if (fields.Length != 3 || fields[1] is not (Accept or Reject)
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return (FeedbackLinkCheck.Malformed, null);
        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (_time.GetUtcNow() >= expires)
            return (FeedbackLinkCheck.Expired, null);
        // The use is recorded under the MAC re-encoded from its bytes, never under the text that came in.
        return (FeedbackLinkCheck.Valid, new FeedbackLinkClaim(fields[0], fields[1], expires, Base64Url.EncodeToString(signature)));
    }

    /// <summary>
    /// Decodes base64url that is written exactly as <see cref="Base64Url.EncodeToString(ReadOnlySpan{byte})"/> writes it:
    /// the decoder alone skips whitespace and accepts padding, which would give one link many spellings.
    /// </summary>
    private static bool TryDecodeCanonical(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || !Base64Url.IsValid(text))
            return false;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        return bytes.Length > 0 && string.Equals(Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal);
    }

    /// <summary>Reads the key file, creating it with 32 random bytes the first time (readable by the owner only).</summary>
    private static byte[] KeyFile(string path)
    {
        if (File.Exists(path))
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, create);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim()); // another process created it first
        }
    }
}
