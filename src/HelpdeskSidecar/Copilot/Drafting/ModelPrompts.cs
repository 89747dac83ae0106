using System.Text;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>
/// How ticket text goes into a prompt: as data between <c>&lt;ticket&gt;</c> delimiters that the text itself cannot close
/// (a <c>&lt;/ticket&gt;</c> inside it is defused), customer and agent turns labelled, the newest last, clipped from the front.
/// The requester's name is not sent; the text is the redacted ticket's.
/// </summary>
internal static partial class ModelPrompts
{
    public const int MaxTicketChars = 6000;

    public static string Ticket(HelpdeskTicket redacted)
    {
        var text = new StringBuilder();
        text.AppendLine($"Subject: {redacted.Subject.Trim()}");
        var comments = redacted.Comments.Where(c => c.IsPublic).ToList();
        if (comments.Count == 0)
            text.AppendLine().AppendLine("Customer:").AppendLine(redacted.Description.Trim());
        foreach (var c in comments)
            text.AppendLine().AppendLine(c.AuthorRole == AuthorRole.EndUser ? "Customer:" : "Agent:").AppendLine(c.Body.Trim());
        var body = text.ToString();
        if (body.Length > MaxTicketChars)
            body = "…" + body[^MaxTicketChars..];
        return $"<ticket>\n{Defuse(body).TrimEnd()}\n</ticket>";
    }

    /// <summary>Breaks any delimiter tag inside data so it cannot end the block it sits in or open another.</summary>
    public static string Defuse(string data) => DelimiterTag().Replace(data, m => "‹" + m.Value[1..]);

    [GeneratedRegex(@"<\s*/?\s*(ticket|sources?|thread)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelimiterTag();
}
