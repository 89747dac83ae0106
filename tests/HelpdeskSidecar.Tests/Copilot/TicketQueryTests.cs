using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Tests.Copilot;

public class TicketQueryTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static HelpdeskTicket Ticket(string subject, string description, params HelpdeskComment[] comments) =>
        new("zendesk", "101", subject, description, "open", [], null, "web", "u1", "Ana López", "en", comments);

    private static HelpdeskComment Comment(int minute, AuthorRole role, bool isPublic, string body) =>
        new($"c{minute}", role == AuthorRole.EndUser ? "u1" : "a1", role, isPublic, body, Start.AddMinutes(minute));

    /// <summary>The non-empty lines of the query text, in order.</summary>
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void TextOf_CustomerMessages_SubjectThenMessagesNewestFirst()
    {
        var ticket = Ticket("Refund missing", "My refund is late.",
            Comment(0, AuthorRole.EndUser, true, "My refund is late."),
            Comment(5, AuthorRole.EndUser, true, "It was for order 1234."),
            Comment(9, AuthorRole.EndUser, true, "Still nothing on my card."));

        var text = TicketQuery.TextOf(ticket);

        Assert.That(Lines(text), Is.EqualTo(new[] { "Refund missing", "Still nothing on my card.", "It was for order 1234.", "My refund is late." }));
    }

    [Test]
    public void TextOf_AgentCommentsAndPrivateNotes_Excluded()
    {
        var ticket = Ticket("Refund missing", "My refund is late.",
            Comment(0, AuthorRole.EndUser, true, "My refund is late."),
            Comment(3, AuthorRole.Agent, true, "Public agent reply about shipping."),
            Comment(4, AuthorRole.Agent, false, "Private note: customer is a reseller."),
            Comment(6, AuthorRole.System, true, "Automated satisfaction survey."),
            Comment(7, AuthorRole.EndUser, false, "Private end-user comment about a voucher."),
            Comment(9, AuthorRole.EndUser, true, "Any news?"));

        var text = TicketQuery.TextOf(ticket);

        Assert.That(Lines(text), Is.EqualTo(new[] { "Refund missing", "Any news?", "My refund is late." }));
        Assert.That(text, Does.Not.Contain("shipping").And.Not.Contain("reseller").And.Not.Contain("survey").And.Not.Contain("voucher"));
    }

    [Test]
    public void TextOf_DescriptionEqualsFirstMessage_NotDuplicated()
    {
        var ticket = Ticket("Login", "I cannot sign in since Monday.",
            Comment(0, AuthorRole.EndUser, true, "I cannot sign in since Monday.\n"),
            Comment(5, AuthorRole.EndUser, true, "The reset mail never arrives."));

        var text = TicketQuery.TextOf(ticket);

        Assert.That(text.Split("I cannot sign in since Monday.").Length - 1, Is.EqualTo(1));
        Assert.That(Lines(text), Is.EqualTo(new[] { "Login", "The reset mail never arrives.", "I cannot sign in since Monday." }));
    }

    [Test]
    public void TextOf_DescriptionDiffersFromFirstMessage_DescriptionIncludedLast()
    {
        var ticket = Ticket("Login", "Ticket opened by phone: customer locked out.",
            Comment(0, AuthorRole.EndUser, true, "I cannot sign in since Monday."));

        var text = TicketQuery.TextOf(ticket);

        Assert.That(Lines(text), Is.EqualTo(new[] { "Login", "I cannot sign in since Monday.", "Ticket opened by phone: customer locked out." }));
    }

    [Test]
    public void TextOf_NoCustomerMessages_SubjectAndDescription()
    {
        var ticket = Ticket("Login", "I cannot sign in.",
            Comment(1, AuthorRole.Agent, false, "Internal: check the SSO logs."));

        var text = TicketQuery.TextOf(ticket);

        Assert.That(Lines(text), Is.EqualTo(new[] { "Login", "I cannot sign in." }));
    }
}
