using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Tests.Copilot.Policy;

public class ThreadSummarizerTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public void Summarize_Thread_ProblemTriedAndLatestQuestion()
    {
        var ticket = new HelpdeskTicket("zendesk", "7", "Router keeps dropping", "The router drops Wi-Fi every hour.", "open", [], null, "email", "u1", "Sam", "en",
        [
            new("c1", "u1", AuthorRole.EndUser, true, "The router drops Wi-Fi every hour. It started last week.", At),
            new("c2", "a1", AuthorRole.Agent, true, "Sorry to hear that. Please restart it and update the firmware.", At.AddHours(1)),
            new("c3", "u1", AuthorRole.EndUser, true, "I restarted it twice and it still drops. This is useless. Can you send a replacement?", At.AddHours(2)),
        ]);

        var summary = ThreadSummarizer.Summarize(ticket);

        Assert.That(summary.Problem, Is.EqualTo("Router keeps dropping — The router drops Wi-Fi every hour."));
        Assert.That(summary.Tried, Has.Some.EqualTo("Customer: I restarted it twice and it still drops."));
        Assert.That(summary.NextStep, Does.Contain("Can you send a replacement?"));
    }

    [Test]
    public void Summarize_NoAttemptsNoQuestion_SaysSo()
    {
        var ticket = new HelpdeskTicket("zendesk", "8", "Complaint", "You are awful.", "open", [], null, null, null, null, null,
            [new("c1", "u1", AuthorRole.EndUser, true, "You are awful.", At)]);

        var summary = ThreadSummarizer.Summarize(ticket);

        Assert.That(summary.Tried, Is.Empty);
        Assert.That(summary.NextStep, Is.EqualTo("Read the latest customer message and reply personally."));
    }
}
