using System.Text;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Copilot.Guardrails;

/// <summary>
/// Flags ticket text that tries to talk to the machine instead of the support team: "ignore previous instructions" (in the
/// eight supported languages), "system prompt", chat-template and role-play markers, delimiter escapes, encoded payloads.
/// The text is scanned as written and again de-obfuscated (zero-width characters dropped, full-width and look-alike
/// letters folded, leetspeak digits read as letters, s p a c e d letters joined). A flag changes nothing the policy
/// decided (ticket text is data, never instructions): it is recorded in the trace, the ticket gets no automatic tags,
/// and the model is not asked to label it (the offline readers take no instructions).
/// </summary>
internal static partial class InjectionDetector
{
    public const string Version = "injection-patterns/v2";

    private static readonly (string Name, Regex Pattern)[] Patterns =
    [
        ("ignore-instructions", IgnoreInstructions()),
        ("ignore-instructions", IgnoreInstructionsOtherLanguages()),
        ("system-prompt", SystemPrompt()),
        ("role-marker", RoleMarker()),
        ("role-play", RolePlay()),
        ("new-instructions", NewInstructions()),
        ("jailbreak", Jailbreak()),
        ("addresses-the-model", AddressesTheModel()),
        ("delimiter-escape", DelimiterEscape()),
        ("encoded-instructions", EncodedInstructions()),
    ];

    /// <summary>The names of the patterns that matched (not the matched text, which is the customer's).</summary>
    public static IReadOnlyList<string> Scan(string text)
    {
        var flags = Match(text);
        var plain = Deobfuscate(text);
        var compact = new string(plain.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
        var hidden = (plain == text ? [] : Match(plain))
            .Concat(CompactSignatures.Where(s => compact.Contains(s.Signature, StringComparison.Ordinal)).Select(s => s.Name))
            .Except(flags).Distinct().ToList();
        return hidden.Count == 0 ? flags : [.. flags, .. hidden, "obfuscated"];
    }

    /// <summary>Phrases that still read the same with every space and symbol removed ("i g n o r e  p r e v i o u s …").</summary>
    private static readonly (string Name, string Signature)[] CompactSignatures =
    [
        ("ignore-instructions", "ignorepreviousinstructions"),
        ("ignore-instructions", "ignoreallpreviousinstructions"),
        ("ignore-instructions", "ignoreallinstructions"),
        ("ignore-instructions", "ignoreyourinstructions"),
        ("ignore-instructions", "disregardpreviousinstructions"),
        ("ignore-instructions", "disregardallinstructions"),
        ("system-prompt", "revealyoursystemprompt"),
        ("jailbreak", "developermodeenabled"),
    ];

    private static List<string> Match(string text) =>
        Patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.Name).Distinct().ToList();

    /// <summary>The text as a reader would see it once the tricks that defeat a pattern are undone.</summary>
    internal static string Deobfuscate(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD')
                continue;
            folded.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0), // full-width ASCII
                'а' => 'a', 'е' => 'e', 'о' => 'o', 'р' => 'p', 'с' => 'c', 'і' => 'i', 'у' => 'y', 'х' => 'x', 'ѕ' => 's', // Cyrillic
                'ο' => 'o', 'ι' => 'i', 'α' => 'a', 'ε' => 'e', 'ν' => 'v', 'τ' => 't', // Greek
                _ => c,
            });
        }
        var leet = Leet().Replace(folded.ToString(), m => m.Value switch
        {
            "0" => "o", "1" => "i", "3" => "e", "4" => "a", "5" => "s", "7" => "t", "@" => "a", "$" => "s", _ => m.Value,
        });
        return SpacedLetters().Replace(leet, m => SpacedSeparator().Replace(m.Value, ""));
    }

    [GeneratedRegex(@"\b(ignore|disregard|forget|override|bypass)\b[\w\s,]{0,30}\b(previous|prior|above|earlier|all|your|the|any)\b[\w\s]{0,20}\b(instructions?|rules|prompts?|guidelines|directions)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IgnoreInstructions();

    // es, fr, de, pt, it, nl, ar: "ignore/forget (all) (the/your) (previous) instructions".
    [GeneratedRegex(@"\b(ignora|ignore[zs]?|olvida|ignoriere|ignorieren|vergiss|esque[cç]a|dimentica|negeer|vergeet|oublie[zs]?)\b[\w\s',]{0,40}?\b(instrucciones|instructions|anweisungen|instruktionen|instru[cç][oõ]es|istruzioni|instructies|regeln|reglas|r[eè]gles|regole|regels)\b|(تجاهل|انس|تجاهلي)\s+(\S+\s+){0,2}(التعليمات|الأوامر|تعليماتك)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IgnoreInstructionsOtherLanguages();

    [GeneratedRegex(@"\b(system|developer|hidden)\s+prompt\b|\b(system|developer|hidden|initial)\s+instructions?\b|\byour\s+(system|developer|hidden|initial|original)\s+(prompt|message|instructions?)\b|\b(reveal|print|show|repeat|output|leak)\b[\w\s]{0,20}\byour\s+(instructions|rules|prompt)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SystemPrompt();

    [GeneratedRegex(@"(<\|?(im_start|im_end|system|assistant|user)\|?>|\[/?(INST|SYS)\]|<</?SYS>>|^\s*#{0,3}\s*(system|assistant|instructions?)\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex RoleMarker();

    [GeneratedRegex(@"\b(you are now|(?<!\b(I|we)\s)act as|pretend (to be|you are)|from now on,? you|roleplay as|role-play as|a partir de ahora eres|act[uú]a como|tu es maintenant|du bist (jetzt|ab sofort)|a partir de agora voc[eê] [eé]|d'ora in poi sei|je bent nu)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RolePlay();

    [GeneratedRegex(@"\b(new|updated|real) instructions\s*:|\bnuevas instrucciones\s*:|\bnouvelles instructions\s*:|\bneue anweisungen\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewInstructions();

    [GeneratedRegex(@"\b(jailbreak|DAN mode|developer mode enabled|do anything now)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Jailbreak();

    [GeneratedRegex(@"\b(dear|hey|attention|note to( the)?)\s+(AI|assistant|bot|chatbot|language model|LLM|GPT|copilot)\b|\b(AI|assistant|bot|LLM|GPT|copilot|model)\s*[,:]\s*(ignore|you must|do not|don't|always|never|tag|escalate|mark|close)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddressesTheModel();

    [GeneratedRegex(@"<\s*/\s*(ticket|sources?|thread|user|data)\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelimiterEscape();

    [GeneratedRegex(@"\b(decode|decrypt|base64|rot13|reverse)\b[^\n]{0,60}?\b(and|then)\s+(follow|execute|obey|run|do what it says|apply)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EncodedInstructions();

    [GeneratedRegex(@"(?<=[A-Za-z])[013457@$]|[013457@$](?=[A-Za-z])")]
    private static partial Regex Leet();

    [GeneratedRegex(@"\b(?:[A-Za-z][ ._\-]){3,}[A-Za-z]\b")]
    private static partial Regex SpacedLetters();

    [GeneratedRegex(@"[ ._\-]")]
    private static partial Regex SpacedSeparator();
}
