using System.Text;

namespace HelpdeskSidecar.Access;

/// <summary>
/// Sign-in names (and token names): Unicode letters and digits plus <c>. _ @ -</c>, 1 to 64 characters, in NFC, so
/// "zoë" typed with a combining diaeresis is the same name; compared case-insensitively through <see cref="Key"/>.
/// </summary>
internal static class UserNames
{
    public const int MaxLength = 64;
    public const string Rule = "1 to 64 letters, digits or . _ @ -";

    public static string Normalize(string name) => CanonicalComposition.ToNfc(name);

    /// <summary>What two names are compared by: NFC, then lower case (invariant culture).</summary>
    public static string Key(string name) => Normalize(name).ToLowerInvariant();

    /// <summary>True for a name (already normalized) of letters, digits and <c>. _ @ -</c> only: no spaces, controls or other punctuation.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > MaxLength)
            return false;
        foreach (var rune in name.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune) && rune.Value is not ('.' or '_' or '@' or '-'))
                return false;
        }
        return true;
    }

    /// <returns>The name in NFC when it is valid, else null.</returns>
    public static string? Parse(string? text) =>
        text is null ? null : Normalize(text) is var name && IsValid(name) ? name : null;
}
