using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HelpdeskSidecar.Copilot.Policy;

internal static partial class PolicyLoader
{
    /// <summary>The largest policy text accepted, from any path (API, console, the file itself): 256 KB.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>
    /// Reads the text as YAML events only, before anything builds a node tree or an object: a few hundred bytes of
    /// nested aliases ("billion laughs") expand to billions of nodes in the deserializer and in any walk over the tree.
    /// A policy has no use for anchors and aliases, so the first one is refused with its line; events are streamed,
    /// nothing is expanded, and the scan costs one pass over the text.
    /// </summary>
    private static PolicyError? Unsafe(string file, string yaml)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(yaml) > MaxBytes)
            return new PolicyError(file, 1, 1, TooLarge);
        var scanner = new Scanner(new StringReader(yaml));
        var parser = new Parser(scanner);
        var open = new Stack<(bool Flow, Mark Start, string Bracket)>();
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias or NodeEvent { Anchor.IsEmpty: false }:
                        return new PolicyError(file, parser.Current.Start.Line, parser.Current.Start.Column, AliasesNotAllowed);
                    case SequenceStart s:
                        open.Push((s.Style == SequenceStyle.Flow, s.Start, "["));
                        break;
                    case MappingStart m:
                        open.Push((m.Style == MappingStyle.Flow, m.Start, "{"));
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails without a mark (no YamlException) on a flow list or mapping left open when the
            // next lines are indented less ("keywords: [\"a\", \"b\"" and then "escalate: …"): name the bracket instead.
            var at = scanner.CurrentPosition;
            return open.FirstOrDefault(c => c.Flow) is { Flow: true } unclosed
                ? new PolicyError(file, unclosed.Start.Line, unclosed.Start.Column, Unclosed(unclosed.Bracket, at))
                : new PolicyError(file, at.Line, at.Column, "The YAML cannot be read from here; check the brackets and quotes on this line and the one before.");
        }
        return null;
    }

    private static string Unclosed(string bracket, Mark at) =>
        $"This '{bracket}' is never closed: add the '{(bracket == "[" ? "]" : "}")}' that ends the {(bracket == "[" ? "list" : "mapping")} (reading stopped at line {at.Line}, column {at.Column}).";

    /// <summary>
    /// The text of a policy file, or null when the file is larger than any policy may be; such a file is not read,
    /// as the provider looks at the file every few seconds. Reads like <see cref="File.ReadAllText(string)"/>.
    /// </summary>
    public static string? ReadText(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return reader.BaseStream.Length > MaxBytes + 3 ? null : reader.ReadToEnd(); // + 3: a UTF-8 byte order mark
    }

    public static readonly string TooLarge = $"The policy is larger than {MaxBytes / 1024} KB.";

    public const string AliasesNotAllowed =
        "Anchors and aliases (&name / *name, also <<: merge keys) are not allowed in the policy file; write each value out in full.";
}
