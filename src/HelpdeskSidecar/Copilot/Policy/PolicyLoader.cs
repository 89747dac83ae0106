using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>One reason a policy file was rejected, with where it is.</summary>
internal sealed record PolicyError(string File, long Line, long Column, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Message}";
}

/// <summary>A load attempt: the compiled policy, or the errors that rejected the file.</summary>
internal sealed record PolicyLoadResult(CompiledPolicy? Policy, IReadOnlyList<PolicyError> Errors)
{
    /// <summary>What a valid policy is accepted with but probably does not mean, such as an intent the classifier never predicts.</summary>
    public IReadOnlyList<PolicyError> Warnings { get; init; } = [];
}

/// <summary>
/// Parses and validates a policy file; every path (API, console editor, reload, start-up check) comes through
/// <see cref="Parse"/>, which first refuses oversized text and anchors/aliases (see PolicyLoader.Guard.cs). YAML errors carry YamlDotNet's marks; validation errors are placed on the
/// line of the key they are about, found by walking the same text as a YAML node tree.
/// </summary>
internal static partial class PolicyLoader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <param name="knownIntents">The classifier's labels; a rule naming another intent is accepted with a warning. Null: not trained, no warnings.</param>
    public static PolicyLoadResult Parse(string file, string yaml, IReadOnlyCollection<string>? knownIntents = null)
    {
        PolicyDocument? doc;
        Dictionary<string, Mark> marks;
        YamlNode? root = null;
        try
        {
            if (Unsafe(file, yaml) is { } refused)
                return Failed(refused);
            root = Root(yaml);
            if (NotAMapping(root) is { } what)
                return Failed(new PolicyError(file, root!.Start.Line, root.Start.Column,
                    $"The policy must be a YAML mapping (keys like version:, defaults:, rules:), not {what}."));
            marks = Marks(root);
            doc = Deserializer.Deserialize<PolicyDocument>(yaml);
        }
        catch (YamlException e)
        {
            return Failed(Explain(file, yaml, e, root));
        }
        if (doc is null)
            return Failed(new PolicyError(file, 1, 1, "The policy file is empty."));

        var result = new PolicyDocumentValidator().Validate(doc);
        if (!result.IsValid)
        {
            var errors = result.Errors.Select(e =>
            {
                var mark = Locate(marks, e.PropertyName);
                return new PolicyError(file, mark?.Line ?? 1, mark?.Column ?? 1, $"{e.PropertyName}: {e.ErrorMessage}");
            }).ToList();
            return new PolicyLoadResult(null, errors);
        }
        return new PolicyLoadResult(PolicyCompiler.Compile(doc), []) { Warnings = UnknownIntents(file, doc, marks, knownIntents) };
    }

    /// <summary>
    /// Rules matching an intent the classifier has no label for never match on it (a typo, or an intent from another
    /// taxonomy). Accepted, since the history may learn it later, but said, with the line of the value.
    /// </summary>
    private static List<PolicyError> UnknownIntents(string file, PolicyDocument doc, Dictionary<string, Mark> marks, IReadOnlyCollection<string>? known)
    {
        var warnings = new List<PolicyError>();
        if (known is not { Count: > 0 })
            return warnings;
        var rules = doc.Rules;
        for (var i = 0; i < rules.Count; i++)
        {
            var intents = rules[i].Match.Intent ?? [];
            for (var j = 0; j < intents.Count; j++)
            {
                if (known.Contains(intents[j], StringComparer.OrdinalIgnoreCase))
                    continue;
                var mark = Locate(marks, $"rules[{i}].match.intent[{j}]");
                warnings.Add(new PolicyError(file, mark?.Line ?? 1, mark?.Column ?? 1,
                    $"Rule '{rules[i].Name}' matches intent '{intents[j]}', which the classifier does not know, so it never matches on it; "
                    + $"known intents: {string.Join(", ", known.Order(StringComparer.Ordinal).Take(30))}{(known.Count > 30 ? ", …" : "")}."));
            }
        }
        return warnings;
    }

    private static PolicyLoadResult Failed(PolicyError error) => new(null, [error]);

    // "(Line: 3, Col: 5, Idx: 20) - (…): Exception during deserialization" → the part after the marks.
    private static string Clean(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }

    /// <summary>The closest key the error path names: <c>rules[2].tiers[0]</c>, else <c>rules[2].tiers</c>, else <c>rules[2]</c>…</summary>
    private static Mark? Locate(Dictionary<string, Mark> marks, string path)
    {
        var p = path.ToLowerInvariant();
        while (p.Length > 0)
        {
            if (marks.TryGetValue(p, out var mark))
                return mark;
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? "" : p[..cut];
        }
        return null;
    }

    /// <summary>
    /// A value of the wrong shape (a list where a mapping belongs, a word where a list belongs) in words: YamlDotNet says
    /// it with our CLR type names ("Invalid cast from 'System.String' to '…List`1[[…PolicyRuleSpec, HelpdeskSidecar, Version=…').
    /// </summary>
    private static string? WrongShape(string message, YamlNode? root, Mark at)
    {
        var target = WrongShapeTarget().Match(message);
        if (!target.Success)
            return null;
        var type = target.Groups["type"].Value;
        var expected = type.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) ? "a list"
            : type.StartsWith("HelpdeskSidecar.", StringComparison.Ordinal) ? "a mapping (key: value lines)"
            : "a single value";
        return ValuePath(root, at) is { Length: > 0 } path ? $"'{path}' must be {expected}." : $"This value must be {expected}.";
    }

    /// <summary>The key path (<c>rules[0].match</c>) of the value that starts at <paramref name="at"/>.</summary>
    private static string? ValuePath(YamlNode? node, Mark at, string path = "")
    {
        if (node is null)
            return null;
        if (node.Start.Line == at.Line && node.Start.Column == at.Column)
            return path;
        return node switch
        {
            YamlMappingNode map => map.Children.Select(c => ValuePath(c.Value, at, Join(path, (c.Key as YamlScalarNode)?.Value ?? ""))).FirstOrDefault(p => p is not null),
            YamlSequenceNode seq => seq.Children.Select((c, i) => ValuePath(c, at, $"{path}[{i}]")).FirstOrDefault(p => p is not null),
            _ => null,
        };
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    [System.Text.RegularExpressions.GeneratedRegex("""(?:into type |Invalid cast from '[^']*' to ')(?<type>[\w.`]+)""")]
    private static partial System.Text.RegularExpressions.Regex WrongShapeTarget();

    private static YamlNode? Root(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
    }

    /// <summary>
    /// What the document is when it is not a mapping; the deserializer would otherwise answer with its own type names
    /// ("No node deserializer was able to deserialize the node into type …PolicyDocument, HelpdeskSidecar, Version=…").
    /// </summary>
    private static string? NotAMapping(YamlNode? root) => root switch
    {
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: { Length: > 0 } value } when value is not ("~" or "null" or "Null" or "NULL") => "a single value",
        _ => null,
    };

    private static Dictionary<string, Mark> Marks(YamlNode? root)
    {
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        if (root is not null)
            Walk(root, "", marks);
        return marks;
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, Mark> marks)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value?.ToLowerInvariant() ?? "";
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    marks.TryAdd(child, key.Start);
                    Walk(value, child, marks);
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var child = $"{path}[{i}]";
                    marks.TryAdd(child, seq.Children[i].Start);
                    Walk(seq.Children[i], child, marks);
                }
                break;
        }
    }
}
