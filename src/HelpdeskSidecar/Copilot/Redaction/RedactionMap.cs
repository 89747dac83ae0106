using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Copilot.Redaction;

/// <summary>
/// The placeholders handed out for one ticket: the same value always gets the same placeholder
/// (<c>[EMAIL_1]</c>), so a model or the index sees a consistent text. The values live only in this object,
/// in memory, so that a draft mentioning a placeholder can be restored before it is written back.
/// Never serialize it; the trace keeps <see cref="CountsByKind"/> only.
/// </summary>
internal sealed partial class RedactionMap
{
    private readonly Dictionary<(PiiKind Kind, string Key), string> _placeholders = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<PiiKind, int> _found = [];

    /// <summary>How many distinct values of each kind were replaced.</summary>
    public IReadOnlyDictionary<string, int> CountsByKind =>
        _found.OrderBy(p => p.Key).ToDictionary(p => PiiKindNames.Placeholder(p.Key).ToLowerInvariant(), p => p.Value);

    public int Count => _values.Count;

    internal string PlaceholderFor(PiiKind kind, string value, string key)
    {
        if (_placeholders.TryGetValue((kind, key), out var existing))
            return existing;
        var n = _found.GetValueOrDefault(kind) + 1;
        _found[kind] = n;
        var placeholder = $"[{PiiKindNames.Placeholder(kind)}_{n}]";
        _placeholders[(kind, key)] = placeholder;
        _values[placeholder] = value;
        return placeholder;
    }

    /// <summary>Puts the original values back (for the write-back to the helpdesk the text came from).</summary>
    public string Restore(string text) =>
        PlaceholderPattern().Replace(text, m => _values.TryGetValue(m.Value, out var v) ? v : m.Value);

    /// <summary>Removes placeholders, e.g. before a text becomes search terms ("EMAIL" is not a topic).</summary>
    public static string WithoutPlaceholders(string text) => PlaceholderPattern().Replace(text, " ");

    [GeneratedRegex(@"\[(?:SECRET|EMAIL|IBAN|CARD|SSN|IP|PHONE|NAME)_\d+\]")]
    internal static partial Regex PlaceholderPattern();
}
