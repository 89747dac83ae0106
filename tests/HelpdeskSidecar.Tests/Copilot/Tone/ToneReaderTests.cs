using HelpdeskSidecar.Copilot.Tone;

namespace HelpdeskSidecar.Tests.Copilot.Tone;

public class ToneReaderTests
{
    [Test]
    public void Read_AngryCustomer_NegativeWithTriggers()
    {
        var (sentiment, _) = ToneReader.Read("I am very angry, this is unacceptable and the worst service ever");
        Assert.That(sentiment.Level, Is.EqualTo("negative"));
        Assert.That(sentiment.Score, Is.LessThan(-0.5));
        Assert.That(sentiment.Triggers, Is.SupersetOf(new[] { "very angry", "unacceptable", "worst" }));
    }

    [Test]
    public void Read_NegatedPraise_CountsAgainst()
    {
        var (sentiment, _) = ToneReader.Read("I'm not happy and not satisfied with this order");
        Assert.That(sentiment.Level, Is.EqualTo("negative"));
        Assert.That(sentiment.Triggers, Is.EquivalentTo(new[] { "not happy", "not satisfied" }));
    }

    [Test]
    public void Read_Thanks_NeutralOrPositiveNeverNegative()
    {
        var (sentiment, urgency) = ToneReader.Read("Thanks, the new jacket is great and fits perfect");
        Assert.That(sentiment.Level, Is.EqualTo("positive"));
        Assert.That(urgency.Level, Is.EqualTo("low"));
    }

    [Test]
    public void Read_HackedAccount_HighUrgency()
    {
        var (_, urgency) = ToneReader.Read("URGENT: my account was hacked and there are unauthorized payments, please help immediately");
        Assert.That(urgency.Level, Is.EqualTo("high"));
        Assert.That(urgency.Triggers, Is.SupersetOf(new[] { "urgent", "hacked", "unauthorized", "immediately" }));
    }

    [Test]
    public void Read_NotUrgent_IsNotUrgent()
    {
        var (_, urgency) = ToneReader.Read("This is not urgent, whenever you have time");
        Assert.That(urgency.Level, Is.EqualTo("low"));
        Assert.That(urgency.Triggers, Is.Empty);
    }
}
