using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Configuration;

/// <summary>
/// The binder's complaint about a value it cannot convert names our .NET type ("… to type
/// 'HelpdeskSidecar.Configuration.SidecarMode'"); a user needs the key and what it accepts instead.
/// </summary>
internal static partial class ConfigurationValueProblem
{
    public static string Describe(string binderMessage)
    {
        var match = ConversionFailure().Match(binderMessage);
        if (!match.Success)
            return binderMessage;
        var (value, key, typeName) = (match.Groups["value"].Value, match.Groups["key"].Value, match.Groups["type"].Value);
        var type = typeof(SidecarOptions).Assembly.GetType(typeName) ?? Type.GetType(typeName);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var expected = type switch
        {
            { IsEnum: true } => null,
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(TimeSpan) => "a duration written hh:mm:ss (e.g. 00:00:05)",
            _ when type == typeof(Uri) => "an absolute URL",
            _ => "a valid value",
        };
        var got = $" (not '{Hosting.Excerpt.Of(value)}')";
        return type is { IsEnum: true }
            ? MustBeOneOf(key, type).TrimEnd('.') + got + "."
            : $"'{key}' must be {expected}{got}.";
    }

    /// <summary>"'Sidecar:Mode' must be one of Shadow, Live."</summary>
    public static string MustBeOneOf(string key, Type enumType) => $"'{key}' must be one of {string.Join(", ", Enum.GetNames(enumType))}.";

    // "Failed to convert configuration value 'Bogus' at 'Sidecar:Mode' to type 'HelpdeskSidecar.Configuration.SidecarMode'."
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
