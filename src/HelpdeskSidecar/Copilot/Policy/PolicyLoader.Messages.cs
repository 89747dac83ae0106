using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>
/// YamlDotNet's errors in the words of the policy file: its messages name our CLR types and .NET exceptions
/// ("Property 'rulez' not found on type 'HelpdeskSidecar.Copilot.Policy.PolicyDocument'", "Value was either too large
/// or too small for a UInt64") and put some errors on the line where the mapping starts rather than where the fault is.
/// </summary>
internal static partial class PolicyLoader
{
    private static PolicyError Explain(string file, string yaml, YamlException e, YamlNode? root)
    {
        var message = e.InnerException is { } inner and not YamlException ? $"{e.Message} {inner.Message}" : e.Message;
        if (UnknownKey().Match(message) is { Success: true } unknown)
            return new PolicyError(file, e.Start.Line, e.Start.Column, UnknownKeyMessage(unknown.Groups["key"].Value, unknown.Groups["type"].Value, root, e.Start));
        if (TabIndent().IsMatch(message))
        {
            var (line, column) = FirstTabIndent(yaml, e.Start.Line) ?? (e.Start.Line, e.Start.Column);
            return new PolicyError(file, line, column, "Tabs cannot indent YAML; indent with spaces.");
        }
        if (e.InnerException is FormatException or OverflowException && ValuePath(root, e.Start) is { Length: > 0 } path)
            return new PolicyError(file, e.Start.Line, e.Start.Column, $"'{path}' must be a whole number like 1.");
        return new PolicyError(file, e.Start.Line, e.Start.Column, WrongShape(message, root, e.Start) ?? Clean(message));
    }

    /// <summary>The first line at or after <paramref name="from"/> whose indentation holds a tab, and the tab's column (1-based).</summary>
    private static (long Line, long Column)? FirstTabIndent(string yaml, long from)
    {
        var lines = yaml.Split('\n');
        for (var i = (int)Math.Max(from - 1, 0); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
                return (i + 1, tab + 1);
        }
        return null;
    }

    private static string UnknownKeyMessage(string key, string typeName, YamlNode? root, Mark at)
    {
        var known = typeof(PolicyDocument).Assembly.GetType(typeName) is { Namespace: "HelpdeskSidecar.Copilot.Policy" } type
            ? type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => UnderscoredNamingConvention.Instance.Apply(p.Name)).ToList()
            : [];
        var under = KeyParent(root, at) is { Length: > 0 } parent ? $" under '{parent}'" : "";
        return known.Count > 0 ? $"Unknown key '{key}'{under}; the keys allowed here are {string.Join(", ", known)}." : $"Unknown key '{key}'{under}.";
    }

    /// <summary>The path of the mapping that holds the key starting at <paramref name="at"/>: "" for the top level, <c>rules[0].match</c>…</summary>
    private static string? KeyParent(YamlNode? node, Mark at, string path = "") => node switch
    {
        YamlMappingNode map when map.Children.Keys.Any(k => k.Start.Line == at.Line && k.Start.Column == at.Column) => path,
        YamlMappingNode map => map.Children.Select(c => KeyParent(c.Value, at, Join(path, (c.Key as YamlScalarNode)?.Value ?? ""))).FirstOrDefault(p => p is not null),
        YamlSequenceNode seq => seq.Children.Select((c, i) => KeyParent(c, at, $"{path}[{i}]")).FirstOrDefault(p => p is not null),
        _ => null,
    };

    // "found invalid tab as indentation", "found a tab character that violate indentation": the scanner's mark is often
    // where the enclosing mapping starts (line 1), not on the tab.
    [GeneratedRegex(@"\btab (?:as indentation|character)", RegexOptions.IgnoreCase)]
    private static partial Regex TabIndent();

    [GeneratedRegex(@"Property '(?<key>[^']*)' not found on type '(?<type>[\w.`+]+)'")]
    private static partial Regex UnknownKey();
}
