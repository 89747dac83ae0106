using System.Text;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Suggestions;

/// <summary>
/// What a knowledge gap keeps of the question: the start of the customer's latest message, from the
/// <em>redacted</em> ticket only, whitespace collapsed and cut at a word boundary. Enough for a manager to see
/// what nobody could answer; too short to be a copy of the ticket.
/// </summary>
internal static class QuestionExcerpt
{
    public const int MaxLength = 160;

    /// <param name="redacted">The ticket after <see cref="Copilot.Redaction.TicketRedactor"/>: placeholders, never values.</param>
    public static string? Of(HelpdeskTicket redacted)
    {
        var text = redacted.LatestCustomerMessage?.Body;
        if (string.IsNullOrWhiteSpace(text))
            text = redacted.Subject;
        return string.IsNullOrWhiteSpace(text) ? null : Shorten(text);
    }

    public static string Shorten(string text)
    {
        var collapsed = new StringBuilder(Math.Min(text.Length, MaxLength * 2));
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (collapsed.Length > 0)
                collapsed.Append(' ');
            collapsed.Append(word);
            if (collapsed.Length > MaxLength)
                break;
        }
        if (collapsed.Length <= MaxLength)
            return collapsed.ToString();
        var cut = collapsed.ToString(0, MaxLength);
        var space = cut.LastIndexOf(' ');
        return (space > MaxLength / 2 ? cut[..space] : cut).TrimEnd(',', ';', ':', '-') + "…";
    }
}
