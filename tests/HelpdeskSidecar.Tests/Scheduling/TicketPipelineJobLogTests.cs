using System.Net;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>What a pipeline run logs when the helpdesk cannot be reached, and when it decides there is nothing to do.</summary>
public class TicketPipelineJobLogTests
{
    [Test]
    public async Task Run_HelpdeskUnreachable_OneLinePerAttemptWithTheCauseAndNoStackTrace()
    {
        var logs = new CapturedLogs();
        await using var host = await SidecarTestHost.StartAsync(
        [
            "Sidecar:Zendesk:BaseUrl=http://127.0.0.1:1",
            "Sidecar:Zendesk:Email=bot@example.com",
            "Sidecar:Zendesk:ApiToken=t",
            "Sidecar:Scheduling:MaxRetries=2",
            "Sidecar:Scheduling:RetryInitialDelay=00:00:00.200",
        ], builder => builder.Logging.AddProvider(logs));

        using (var response = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-down", 8181)))) 
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var failures = await Eventually.GetAsync(
            () => Task.FromResult(logs.Entries.Where(e => e.Category.StartsWith("HelpdeskSidecar.Scheduling", StringComparison.Ordinal) && e.Level >= LogLevel.Warning).ToList()),
            e => e.Any(f => f.Message.StartsWith("Gave up", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the last attempt giving up");

        Assert.That(logs.Entries.Where(e => e.Exception is not null).Select(e => $"{e.Category}: {e.Message}"), Is.Empty,
            "no stack trace for an expected network failure");
        Assert.That(failures.Select(f => f.Message), Has.All.Contain("ticket 8181").And.All.Contain("Zendesk could not be reached: connection refused (127.0.0.1:1)"));
        Assert.That(failures.Select(f => f.Message).Last(), Does.StartWith("Gave up on zendesk ticket 8181"));
        Assert.That(failures, Has.Count.EqualTo(2), "one line per attempt (Sidecar:Scheduling:MaxRetries=2 runs)");
        Assert.That(failures[0].Message, Does.StartWith("Pipeline run 1 for zendesk ticket 8181 failed, retrying later: "));
    }

    [Test]
    public async Task Run_TicketAlreadyAnswered_LogsWhyNothingWasSuggested()
    {
        var logs = new CapturedLogs();
        await using var zendesk = await FakeZendesk.StartAsync();
        await using var host = await SidecarTestHost.StartAsync(
            [.. zendesk.ConnectionSettings, "Logging:LogLevel:HelpdeskSidecar.Scheduling=Information"], builder => builder.Logging.AddProvider(logs));
        var ticket = zendesk.AddTicket(8282, "Parcel", "Where is my parcel? Write to me at casey@example.com");
        ticket.AddComment(FakeZendesk.AgentId, "It ships tomorrow.", isPublic: true);

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-answered", 8282)))) { }

        var entry = (await Eventually.GetAsync(
            () => Task.FromResult(logs.Entries.Where(e => e.EventName == "LogNoNewSuggestion").ToList()), e => e.Count >= 1, because: "the outcome logged")).Single();
        Assert.That(entry.Level, Is.EqualTo(LogLevel.Information));
        Assert.That(entry.Message, Is.EqualTo("No new suggestion for zendesk ticket 8282 (NothingToAnswer): No customer message is waiting for a reply."));
        Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contain("casey@example.com"), "no ticket text in the logs");
    }

    [Test]
    public async Task Run_MessageAlreadySuggested_LogsIt()
    {
        var logs = new CapturedLogs();
        await using var zendesk = await FakeZendesk.StartAsync();
        await using var host = await SidecarTestHost.StartAsync(
            [.. zendesk.ConnectionSettings, "Logging:LogLevel:HelpdeskSidecar.Scheduling=Information"], builder => builder.Logging.AddProvider(logs));
        zendesk.AddTicket(8383, "Refund", "When will my refund arrive on my card?");

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-a", 8383)))) { }
        await Eventually.GetAsync(() => host.Service<HelpdeskSidecar.Suggestions.SuggestionStore>().ListAsync("8383", 10, CancellationToken.None), s => s.Count == 1, because: "the first suggestion");
        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-b", 8383, "ticket.comment_added")))) { }

        var entry = (await Eventually.GetAsync(
            () => Task.FromResult(logs.Entries.Where(e => e.EventName == "LogNoNewSuggestion").ToList()), e => e.Count >= 1, because: "the second run's outcome logged")).Single();
        Assert.That(entry.Message, Is.EqualTo("No new suggestion for zendesk ticket 8383 (AlreadySuggested): This customer message already has a suggestion."));
    }
}
