using System.Text;

namespace HelpdeskSidecar.Hosting;

/// <summary>
/// Text from a caller's file or argument, made safe to quote in a one-line error: at most a few dozen characters,
/// control and other non-printable characters (binary bytes, line breaks, escape sequences) shown as '?'.
/// </summary>
internal static class Excerpt
{
    public const int DefaultLength = 60;

    public static string Of(string? text, int max = DefaultLength)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var cut = text.Length > max;
        var source = cut ? text[..max] : text;
        var builder = new StringBuilder(source.Length + 1);
        foreach (var ch in source)
            builder.Append(IsPrintable(ch) ? ch : '?');
        if (cut)
            builder.Append('…');
        return builder.ToString();
    }

    /// <summary>
    /// A JSON reader's complaint without the text it quotes at length (a CSV given as JSON comes back whole as an
    /// "invalid literal"): the complaint cut short, then where it is.
    /// </summary>
    public static string OfJsonError(System.Text.Json.JsonException ex)
    {
        var message = ex.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
                message = message[..at];
        }
        var where = ex.LineNumber is { } line
            ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1}{(string.IsNullOrEmpty(ex.Path) ? "" : $", at {ex.Path}")})"
            : "";
        return Of(message.Trim(), 2 * DefaultLength) + where;
    }

    private static bool IsPrintable(char ch) =>
        !char.IsControl(ch) && !char.IsSurrogate(ch) && ch != '\uFFFD' && ch != '\uFEFF'
        && char.GetUnicodeCategory(ch) is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.OtherNotAssigned
            or System.Globalization.UnicodeCategory.PrivateUse or System.Globalization.UnicodeCategory.LineSeparator
            or System.Globalization.UnicodeCategory.ParagraphSeparator);
}
