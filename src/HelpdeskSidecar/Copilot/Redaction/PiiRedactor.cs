using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Copilot.Redaction;

/// <summary>
/// Replaces personal data in free text with placeholders before the text reaches the knowledge index, a model
/// or a log. Each kind is a pattern that finds candidates and, where the format has one, a check that rejects
/// look-alikes: card numbers must pass Luhn, IBANs mod-97, IP addresses must parse. Kinds run in a fixed order
/// (secrets in URLs first, phones next to last) so that a longer match is never cut up by a shorter one. Known names
/// run last: a name is often part of an address ("ana.pereira@…"), and replacing it first would cut the address up
/// so that the rest of it ("pereira@…") was no longer recognised and stayed in the text.
/// </summary>
internal static partial class PiiRedactor
{
    public const string Version = "regex-checksum/v1";

    /// <summary>Redacts <paramref name="text"/>, recording placeholders in <paramref name="map"/> (one map per ticket).</summary>
    /// <param name="knownNames">Names known to belong to the customer (e.g. the requester's), redacted as whole words.</param>
    public static string Redact(string text, RedactionMap map, IReadOnlyList<string>? knownNames = null)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var s = UrlSecret().Replace(text, m => m.Groups["name"].Value + map.PlaceholderFor(PiiKind.Secret, m.Groups["value"].Value, m.Groups["value"].Value));
        s = Email().Replace(s, m => map.PlaceholderFor(PiiKind.Email, m.Value, m.Value.ToLowerInvariant()));
        s = Iban().Replace(s, m =>
        {
            var compact = Compact(m.Value).ToUpperInvariant();
            return Checksums.IbanMod97(compact) ? map.PlaceholderFor(PiiKind.Iban, m.Value, compact) : m.Value;
        });
        s = Card().Replace(s, m =>
        {
            var digits = Digits(m.Value);
            return digits.Length is >= 13 and <= 19 && Checksums.Luhn(digits) ? map.PlaceholderFor(PiiKind.Card, m.Value, digits) : m.Value;
        });
        s = Ssn().Replace(s, m => map.PlaceholderFor(PiiKind.Ssn, m.Value, Digits(m.Value)));
        s = IpV6().Replace(s, m =>
            IPAddress.TryParse(m.Value, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && m.Value.Count(c => c == ':') >= 2 && m.Value.Any(char.IsAsciiHexDigit) && !TimeOfDay().IsMatch(m.Value)
                ? map.PlaceholderFor(PiiKind.IpAddress, m.Value, ip.ToString()) : m.Value);
        s = IpV4().Replace(s, m => map.PlaceholderFor(PiiKind.IpAddress, m.Value, m.Value));
        s = PhoneInternational().Replace(s, m => PhoneOrSame(m, map, minDigits: 8));
        s = PhoneNational().Replace(s, m => PhoneOrSame(m, map, minDigits: 9));
        return RedactNames(s, map, knownNames);
    }

    /// <summary>
    /// The full name first, then each part of three letters or more, whole words, any case. A name inside a
    /// placeholder, a URL or an address is left alone: cutting those up would break them, not protect anyone.
    /// </summary>
    private static string RedactNames(string text, RedactionMap map, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
            return text;
        var parts = names.Where(n => !string.IsNullOrWhiteSpace(n))
            .SelectMany(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length >= 3).Prepend(n.Trim()))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(p => p.Length)
            .Select(Regex.Escape)
            .ToList();
        if (parts.Count == 0)
            return text;
        // One pass, left to right: a protected span is consumed whole, so no name alternative can start inside it;
        // the longest name alternative comes first, so the full name wins over its parts.
        var pattern = new Regex(
            $@"(?<keep>{PlaceholderOrAddress})|(?<![\w@.])(?:{string.Join('|', parts)})(?![\w@])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return pattern.Replace(text, m => m.Groups["keep"].Success ? m.Value : map.PlaceholderFor(PiiKind.Name, m.Value, m.Value.ToLowerInvariant()));
    }

    /// <summary>
    /// A placeholder already handed out, a URL (scheme:// or www.), or anything shaped like an address (x@y). Each
    /// starts only where a token starts, so a long run of letters is not rescanned from every position in it.
    /// </summary>
    private static readonly string PlaceholderOrAddress = RedactionMap.PlaceholderPattern() +
        @"|(?<![\w+.-])(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>""']+|(?<![\w.%+-])[\w.%+-]+@[\w.-]+";

    private static string PhoneOrSame(Match m, RedactionMap map, int minDigits)
    {
        var digits = Digits(m.Value);
        if (digits.Length < minDigits || digits.Length > 15)
            return m.Value;
        // National and international forms of one number are the same number: key on the last nine digits.
        return map.PlaceholderFor(PiiKind.Phone, m.Value, digits.Length > 9 ? digits[^9..] : digits);
    }

    private static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    private static string Compact(string value) => new(value.Where(char.IsAsciiLetterOrDigit).ToArray());

    /// <summary>Credentials in a URL's query string or fragment: only the value is replaced, the name stays readable.</summary>
    [GeneratedRegex(@"(?<name>[?&#;](?:access_token|refresh_token|id_token|auth_token|token|api_key|apikey|api-key|key|secret|client_secret|password|passwd|pwd|pass|sig|signature|x-amz-signature|x-amz-credential|auth|code|session|sessionid|sid|otp)=)(?<value>[^&#\s""'<>]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlSecret();

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    /// <summary>Two letters, two check digits, then 11–30 letters/digits, optionally in groups of four.</summary>
    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    /// <summary>13–19 digits starting 2–6 (the issuer ranges), optionally grouped by spaces or dashes.</summary>
    [GeneratedRegex(@"(?<![\w#-])(?<!\d[ .-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\w-])(?![ .-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Card();

    /// <summary>US SSN as AAA-GG-SSSS (never 000/666/9xx, 00, 0000), or nine digits right after "SSN".</summary>
    [GeneratedRegex(@"(?<![\w-])(?:(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}|(?<=\b(?:SSN|social security(?: number)?)(?: is|:|#)?\s?)(?!000|666|9\d\d)\d{9})(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ssn();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IpV4();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex IpV6();

    [GeneratedRegex(@"^\d{1,2}:\d{2}(?::\d{2})?$")]
    private static partial Regex TimeOfDay();

    /// <summary>+CC then groups of digits separated by space, dot, dash or a bracketed area code.</summary>
    [GeneratedRegex(@"(?<![\w+])(?<!\d[ .-])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w])(?![ .-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneInternational();

    /// <summary>
    /// National forms: (555) 123-4567, 555-123-4567, 555.123.4567, 020 7946 0958, 06 12 34 56 78, 0151 23456789, 0044…
    /// Separators are required between groups so that an order number written as one run of digits is left alone.
    /// </summary>
    [GeneratedRegex(@"(?<![\w#/.-])(?<!\d[ .-])(?:\(\d{3}\)[ ]?\d{3}[ .-]\d{4}|\d{3}[ .-]\d{3}[ .-]\d{4}|0\d(?:[ .]\d{2}){4}|00\d{1,3}[ ]\d{2,5}(?:[ ]\d{2,8}){1,3}|0\d{2,4}[ /-]?\d{3,4}[ -]\d{3,4}|0\d{2,4}[ /]\d{5,8})(?![\w-]|\.\d)(?![ .-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNational();
}
