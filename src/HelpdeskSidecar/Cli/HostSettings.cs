using System.CommandLine;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Hosting;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// Tells configuration apart from a caller's typo. Configuration on the command line is written <c>--Key=Value</c>
/// (<c>--Sidecar:Mode=Live</c>, <c>--urls=http://127.0.0.1:5080</c>); a command's own options are known to the parser.
/// Whatever is neither (<c>--nmae x</c>, <c>--bogus</c>, a stray word) is refused rather than silently ignored.
/// </summary>
internal static partial class HostSettings
{
    /// <summary>
    /// <c>--urls &lt;url&gt;</c> as well as <c>--urls=&lt;url&gt;</c>, as any ASP.NET Core app takes it: the one host setting
    /// people write with a space. Without a value the parser refuses it, naming <c>--urls</c>.
    /// </summary>
    public static Option<string?> UrlsOption() => new("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5080 (several separated by ';')." };

    /// <summary>The host's arguments: the <c>--Key=Value</c> settings the parser let through, and <c>--urls</c> as one of them.</summary>
    public static string[] HostArgs(ParseResult parse, Option<string?> urls) =>
        parse.GetValue(urls) is { } value ? [.. parse.UnmatchedTokens, $"--urls={value}"] : [.. parse.UnmatchedTokens];

    public static bool IsSetting(string token) => SettingPattern().IsMatch(token);

    /// <summary>The one-line reason the first token that is not <c>--Key=Value</c> is refused, or null when all are.</summary>
    /// <param name="args">The whole command line, to tell a value the parser split off a known option (<c>--json=maybe</c>) from a stray word.</param>
    public static string? Problem(IEnumerable<string> tokens, IReadOnlyList<string>? args = null)
    {
        foreach (var token in tokens)
        {
            if (IsSetting(token))
                continue;
            if (!token.StartsWith('-'))
            {
                var option = args?.FirstOrDefault(a => a.StartsWith('-') && a.EndsWith("=" + token, StringComparison.Ordinal));
                return option is not null
                    ? $"option '{Excerpt.Of(option[..^(token.Length + 1)])}' does not take the value '{Excerpt.Of(token)}'"
                    : $"unexpected argument '{Excerpt.Of(token)}'";
            }
            var name = token.Split('=', 2)[0];
            return token.Contains('=')
                ? $"unknown option '{Excerpt.Of(name)}'"
                : $"unknown option '{Excerpt.Of(name)}' (configuration is written --Key=Value)";
        }
        return null;
    }

    /// <summary>For the host's own arguments: each must be a setting.</summary>
    public static void ThrowIfNotSettings(IEnumerable<string> tokens)
    {
        if (Problem(tokens) is { } problem)
            throw new UsageException(problem);
    }

    // A configuration key: sections separated by ':' (Logging:LogLevel:Microsoft.Hosting.Lifetime, WebhookSecrets:0).
    [GeneratedRegex(@"^--[A-Za-z_][A-Za-z0-9_.\-]*(:[A-Za-z0-9_.\-]+)*=", RegexOptions.CultureInvariant)]
    private static partial Regex SettingPattern();
}
