using System.Buffers.Text;
using System.Globalization;
using System.Text;
using HelpdeskSidecar.Configuration;

namespace HelpdeskSidecar.Suggestions;

/// <summary>
/// What the suggestions list (<c>GET /api/suggestions</c> and <c>/console/suggestions</c>) is narrowed to. Every field
/// is optional; the store turns each given one into a SQL condition. <see cref="Verdict"/> is the verdict as shown:
/// <c>pending</c> (a draft without one) and <c>not_applicable</c> (no draft) included.
/// </summary>
internal sealed record SuggestionFilter(
    string? Ticket = null, string? Kind = null, string? Verdict = null, string? Intent = null, string? Brand = null,
    string? Mode = null, DateOnly? From = null, DateOnly? To = null)
{
    public const string Pending = "pending";
    public const int MaxText = 100;

    public static readonly string[] Verdicts =
    [
        Pending, Acceptance.Verdicts.SentAsIs, Acceptance.Verdicts.Edited, Acceptance.Verdicts.Rejected, Acceptance.Verdicts.NoReply,
        Acceptance.Verdicts.Superseded, Acceptance.Verdicts.NotApplicable,
    ];

    public static readonly string[] Kinds = Enum.GetNames<SuggestionKind>();
    public static readonly string[] Modes = ["shadow", "live"];

    /// <summary>Newest first, except one ticket's suggestions, which read oldest first as its conversation does.</summary>
    public bool NewestFirst => Ticket is null;

    /// <returns>The filter, or every reason it is wrong (each naming its parameter); blanks mean "any".</returns>
    public static (SuggestionFilter Filter, IReadOnlyList<string> Errors) Parse(
        string? ticket, string? kind, string? verdict, string? intent, string? brand, string? mode, string? from, string? to)
    {
        var errors = new List<string>();
        string? Text(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
                return null;
            var trimmed = value.Trim();
            if (trimmed.Length <= MaxText)
                return trimmed;
            errors.Add($"'{name}' must be {MaxText} characters or fewer.");
            return null;
        }
        string? OneOf(string name, string? value, string[] allowed, string noun)
        {
            if (string.IsNullOrWhiteSpace(value))
                return null;
            var match = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
                errors.Add($"Unknown {noun} '{Hosting.Excerpt.Of(value)}': '{name}' must be one of {string.Join(", ", allowed)}.");
            return match;
        }
        DateOnly? Day(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
                return null;
            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return day;
            errors.Add($"'{name}' must be a date as yyyy-MM-dd, not '{Hosting.Excerpt.Of(value)}'.");
            return null;
        }
        var modeName = OneOf("mode", mode, Modes, "mode");
        var filter = new SuggestionFilter(
            Text("ticket", ticket), OneOf("kind", kind, Kinds, "kind"), OneOf("verdict", verdict, Verdicts, "verdict"),
            Text("intent", intent), Text("brand", brand),
            modeName is null ? null : Enum.Parse<SidecarMode>(modeName, ignoreCase: true).ToString(),
            Day("from", from), Day("to", to));
        if (filter is { From: { } f, To: { } t } && t < f)
            errors.Add("'to' must not be before 'from'.");
        return (filter, errors);
    }
}

/// <summary>
/// A position in the suggestions list, opaque to clients: base64url of <c>direction|created_at|id</c>, the keyset of the
/// row it continues from. <c>a</c> (after) pages on in the list's order, <c>b</c> (before) back. A position, not an
/// offset, so new suggestions arriving between two requests neither repeat nor skip a row.
/// </summary>
internal sealed record SuggestionCursor(bool Before, string CreatedAt, string Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{(Before ? 'b' : 'a')}|{CreatedAt}|{Id}"));

    public static bool TryDecode(string? text, out SuggestionCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (text.Length > 200 || !Base64Url.IsValid(text))
            return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = decoded.Split('|');
        if (parts.Length != 3 || parts[0] is not ("a" or "b") || parts[2].Length is 0 or > 64
            || !DateTimeOffset.TryParseExact(parts[1], "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return false;
        cursor = new SuggestionCursor(parts[0] == "b", parts[1], parts[2]);
        return true;
    }
}

/// <summary>One page of the list, with the cursors to the pages either side (null at either end).</summary>
internal sealed record SuggestionPage(IReadOnlyList<Suggestion> Items, string? NextCursor, string? PreviousCursor);
