namespace HelpdeskSidecar.Copilot.Guardrails;

/// <summary>One guardrail's verdict on one suggestion; the detail names sources, numbers or kinds, never ticket text.</summary>
internal sealed record GuardrailResult(string Name, bool Passed, string Detail, bool BlocksDraft = true);

internal static class GuardrailNames
{
    public const string Citations = "citations";
    public const string Urls = "urls";
    public const string Pii = "pii";
    public const string BannedPhrases = "banned_phrases";
    public const string PromptInjection = "prompt_injection";
}
