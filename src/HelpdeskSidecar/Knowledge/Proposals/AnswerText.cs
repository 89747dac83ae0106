using System.Text.RegularExpressions;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>
/// The agent's answer to one customer message, as an article would say it: the first public staff reply after that
/// message (the sidecar's notes never count), without the greeting (it names the customer) and without the sign-off
/// (it names the agent). Read from the <em>redacted</em> ticket, so personal data is already placeholders.
/// </summary>
internal static partial class AnswerText
{
    public const int MaxLength = 20_000;

    /// <returns>Null when nobody answered publicly.</returns>
    public static string? Of(HelpdeskTicket redacted, string triggerKey)
    {
        var comments = redacted.Comments;
        var trigger = comments.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Id == triggerKey).i;
        var reply = comments.Skip(comments.Any(c => c.Id == triggerKey) ? trigger + 1 : 0).FirstOrDefault(AcceptanceTracker.IsAgentReply)
            // The message the gap answered may have been edited away; the last public answer is then the best there is.
            ?? comments.LastOrDefault(AcceptanceTracker.IsAgentReply);
        if (reply is null)
            return null;
        var text = Clean(reply.Body);
        return text.Length == 0 ? null : text.Length <= MaxLength ? text : text[..MaxLength];
    }

    /// <summary>
    /// Without the greeting (a line of its own, or the reply's opening words up to the first comma) and without a
    /// sign-off near the end (a closing line followed by at most a name or two); blank lines kept as paragraph breaks.
    /// </summary>
    public static string Clean(string body)
    {
        var text = InlineGreeting().Replace(Verdicts.Comparable(body).TrimStart(), "", 1);
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        for (var i = lines.Count - 1; i > 0; i--)
        {
            var after = lines.Skip(i + 1).Count(l => l.Trim().Length > 0);
            if (after > 3)
                break;
            if (SignOff().IsMatch(lines[i].Trim()) && lines.Take(i).Any(l => l.Trim().Length > 0))
            {
                lines = lines.Take(i).ToList();
                break;
            }
        }
        var cleaned = MultipleBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
        return cleaned.Length > 0 ? char.ToUpperInvariant(cleaned[0]) + cleaned[1..] : cleaned;
    }

    /// <summary>The answer as article HTML: a paragraph per block, line breaks kept, everything encoded.</summary>
    public static string ToHtml(string answer) =>
        string.Concat(answer.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(System.Net.WebUtility.HtmlEncode)) + "</p>"));

    [GeneratedRegex(@"^(best|best regards|kind regards|warm regards|regards|many thanks|thanks|thank you|cheers|all the best|sincerely)\b[^\n]{0,30}[,.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex SignOff();

    [GeneratedRegex(@"^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^,\n.!?]{0,40},\s*", RegexOptions.IgnoreCase)]
    private static partial Regex InlineGreeting();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
