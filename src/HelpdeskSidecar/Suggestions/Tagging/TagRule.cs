namespace HelpdeskSidecar.Suggestions.Tagging;

/// <summary>What happens to a predicted tag: nothing, listed in the note, or applied to the ticket (Live mode).</summary>
internal enum TagMode
{
    Off,
    Suggest,
    Auto,
}

/// <summary>A rule is about a predicted tag, or about a predicted intent (applied as a tag of the same name).</summary>
internal static class TagScopes
{
    public const string Tag = "tag";
    public const string Intent = "intent";
}

internal sealed record TagRule(string Scope, string Name, string Mode, double Threshold, DateTimeOffset? UpdatedAt);

/// <summary>One predicted label and what the rules made of it; part of the suggestion's trace.</summary>
/// <param name="Action"><c>auto</c> (apply in Live mode), <c>suggest</c> (list in the note) or <c>none</c>.</param>
internal sealed record TagDecision(string Tag, string Scope, double Confidence, string Mode, double Threshold, string Action)
{
    public const string Apply = "auto";
    public const string SuggestOnly = "suggest";
    public const string None = "none";
}

internal static class TagModes
{
    public static string Name(TagMode mode) => mode.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out TagMode mode)
    {
        mode = default;
        return text is "off" or "suggest" or "auto" && Enum.TryParse(text, ignoreCase: true, out mode);
    }
}
