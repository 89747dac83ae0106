using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Tests.Suggestions.Acceptance;

public class VerdictsTests
{
    private const string Draft = """
        Hi Casey,

        Thanks for getting in touch. Here is what our help center says about this:

        Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item. [1]
        You can ask for a refund within 30 days of delivery from the Orders page. [2]

        If anything is still unclear, just reply and we will help.
        """;

    [Test]
    public void Judge_SameTextWithoutCitationsAndAnotherGreeting_SentAsIs()
    {
        var reply = Draft.Replace("Hi Casey,", "Hello Casey Customer,", StringComparison.Ordinal).Replace(" [1]", "", StringComparison.Ordinal).Replace(" [2]", "", StringComparison.Ordinal);
        var (verdict, similarity) = Verdicts.Judge(Draft, reply, new AcceptanceOptions());
        Assert.That(verdict, Is.EqualTo(Verdicts.SentAsIs));
        Assert.That(similarity, Is.EqualTo(1.0));
    }

    [Test]
    public void Judge_PartlyKept_Edited_Unrelated_Rejected()
    {
        var edited = "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item. Your parcel arrived at our warehouse yesterday, so expect the money next week.";
        Assert.That(Verdicts.Judge(Draft, edited, new AcceptanceOptions()).Verdict, Is.EqualTo(Verdicts.Edited));
        Assert.That(Verdicts.Judge(Draft, "Our billing team will call you about the invoice on Tuesday.", new AcceptanceOptions()).Verdict, Is.EqualTo(Verdicts.Rejected));
    }

    [Test]
    public void Judge_ThresholdsComeFromOptions()
    {
        var edited = "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.";
        var (strict, similarity) = Verdicts.Judge(Draft, edited, new AcceptanceOptions { EditedThreshold = 0.99, SentAsIsThreshold = 1.0 });
        Assert.That(strict, Is.EqualTo(Verdicts.Rejected));
        var (lenient, _) = Verdicts.Judge(Draft, edited, new AcceptanceOptions { EditedThreshold = 0.1, SentAsIsThreshold = similarity });
        Assert.That(lenient, Is.EqualTo(Verdicts.SentAsIs));
    }

    [Test]
    public void IsAgentReply_OurNoteOrPrivateOrCustomer_IsNot()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.That(AcceptanceTracker.IsAgentReply(new HelpdeskComment("1", "9", AuthorRole.Agent, true, "Here you go", at)), Is.True);
        Assert.That(AcceptanceTracker.IsAgentReply(new HelpdeskComment("2", "9", AuthorRole.Agent, false, "internal", at)), Is.False);
        Assert.That(AcceptanceTracker.IsAgentReply(new HelpdeskComment("3", "9", AuthorRole.Agent, true, "draft\n[sidecar-suggestion:abc]", at)), Is.False);
        Assert.That(AcceptanceTracker.IsAgentReply(new HelpdeskComment("4", "1", AuthorRole.EndUser, true, "thanks", at)), Is.False);
    }
}
