namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>English names of the languages the detector knows, for prompts ("Write the reply in Spanish").</summary>
internal static class LanguageNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "English", ["es"] = "Spanish", ["fr"] = "French", ["de"] = "German", ["pt"] = "Portuguese",
        ["it"] = "Italian", ["nl"] = "Dutch", ["ar"] = "Arabic",
    };

    /// <summary>Null for an undetermined or unknown code: the prompt then asks for the language the customer wrote in.</summary>
    public static string? For(string? code) => code is not null && Names.TryGetValue(code, out var name) ? name : null;
}
