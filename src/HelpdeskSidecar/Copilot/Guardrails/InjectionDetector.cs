using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Copilot.Guardrails;

/// <summary>
/// Flags ticket text that tries to talk to the machine instead of the support team: "ignore previous instructions",
/// "system prompt", chat-template and role-play markers. A flag changes nothing the policy decided (ticket text is
/// data, never instructions); it is recorded in the trace and the ticket gets no automatic tags.
/// </summary>
internal static partial class InjectionDetector
{
    public const string Version = "injection-patterns/v1";

    private static readonly (string Name, Regex Pattern)[] Patterns =
    [
        ("ignore-instructions", IgnoreInstructions()),
        ("system-prompt", SystemPrompt()),
        ("role-marker", RoleMarker()),
        ("role-play", RolePlay()),
        ("new-instructions", NewInstructions()),
        ("jailbreak", Jailbreak()),
    ];

    /// <summary>The names of the patterns that matched (not the matched text, which is the customer's).</summary>
    public static IReadOnlyList<string> Scan(string text) =>
        Patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.Name).ToList();

    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b[\w\s,]{0,30}\b(previous|prior|above|earlier|all|your|the)\b[\w\s]{0,20}\b(instructions?|rules|prompts?|guidelines|directions)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IgnoreInstructions();

    [GeneratedRegex(@"\b(system|developer|hidden|initial)\s+(prompt|message|instructions?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SystemPrompt();

    [GeneratedRegex(@"(<\|?(im_start|im_end|system|assistant|user)\|?>|\[/?(INST|SYS)\]|<</?SYS>>|^\s*#{0,3}\s*(system|assistant)\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex RoleMarker();

    [GeneratedRegex(@"\b(you are now|act as|pretend (to be|you are)|from now on you|roleplay as|role-play as)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RolePlay();

    [GeneratedRegex(@"\b(new|updated|real) instructions\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewInstructions();

    [GeneratedRegex(@"\b(jailbreak|DAN mode|developer mode enabled)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Jailbreak();
}
