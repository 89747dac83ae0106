using System.Text.RegularExpressions;
using HelpdeskSidecar.Configuration;

namespace HelpdeskSidecar.Suggestions.Acceptance;

/// <summary>What the humans did with a suggestion. Stored as these strings in <c>suggestions.verdict</c>.</summary>
internal static partial class Verdicts
{
    public const string SentAsIs = "sent_as_is";
    public const string Edited = "edited";
    public const string Rejected = "rejected";
    public const string NoReply = "no_reply";

    /// <summary>A newer customer message got its own suggestion before anyone answered this draft: it was never in play.</summary>
    public const string Superseded = "superseded";

    public static readonly IReadOnlyList<string> All = [SentAsIs, Edited, Rejected, NoReply];

    /// <summary>
    /// Shown (API, console) for a suggestion without a draft to judge (knowledge gap, escalation, withheld); never stored.
    /// A draft without a verdict yet is pending: <c>null</c> in the API.
    /// </summary>
    public const string NotApplicable = "not_applicable";

    /// <summary>The verdict as the API and the console show it: <see cref="NotApplicable"/> when there is no draft to judge.</summary>
    public static string? Shown(Suggestion s) => s.Kind == SuggestionKind.Draft ? s.Verdict : NotApplicable;

    /// <summary>Where a verdict came from: the agent's reply read from the helpdesk, or explicit feedback.</summary>
    public const string FromReply = "reply";
    public const string FromFeedback = "feedback";
    public const string FromReplay = "replay";

    /// <summary>Set by the pipeline itself, when a newer suggestion on the ticket supersedes an open draft.</summary>
    public const string FromPipeline = "pipeline";

    /// <summary>Judges a reply against the draft by similarity, with the configured thresholds.</summary>
    public static (string Verdict, double Similarity) Judge(string draft, string reply, AcceptanceOptions thresholds)
    {
        var similarity = ReplySimilarity.Cosine(Comparable(draft), Comparable(reply));
        var verdict = similarity >= thresholds.SentAsIsThreshold ? SentAsIs
            : similarity >= thresholds.EditedThreshold ? Edited
            : Rejected;
        return (verdict, similarity);
    }

    /// <summary>
    /// The text as a customer reads it, for comparison: without the greeting line (which names the customer and
    /// says nothing about the answer) and without citation markers like <c>[1]</c>.
    /// </summary>
    public static string Comparable(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var first = lines.FindIndex(l => l.Trim().Length > 0);
        if (first >= 0 && Greeting().IsMatch(lines[first].Trim()))
            lines.RemoveAt(first);
        return Citation().Replace(string.Join('\n', lines), "");
    }

    [GeneratedRegex(@"^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^\n]{0,40},$", RegexOptions.IgnoreCase)]
    private static partial Regex Greeting();

    [GeneratedRegex(@"\s?\[\d{1,2}\]")]
    private static partial Regex Citation();
}
