using Hangfire.Storage.SQLite;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>Hangfire keeps its log provider in a static: a host that has stopped must not break the next user of Hangfire.</summary>
public class HangfireLoggingTests
{
    [Test]
    public async Task NewJobStorage_AfterAHostWasDisposed_BuildsWithoutTouchingTheDisposedLoggerFactory()
    {
        await (await SidecarTestHost.StartAsync()).DisposeAsync();
        using var dir = new TempDirectory();

        Assert.DoesNotThrow(() => new SQLiteStorage(Path.Combine(dir.Path, "hangfire.db"), new SQLiteStorageOptions()).Dispose());
    }

    [Test]
    public async Task SecondHost_AfterTheFirstWasDisposed_RunsJobs()
    {
        await (await SidecarTestHost.StartAsync()).DisposeAsync();
        await using var zendesk = await FakeZendesk.StartAsync();
        await using var host = await SidecarTestHost.StartAsync([.. zendesk.ConnectionSettings]);
        zendesk.AddTicket(8484, "Refund", "When will my refund arrive on my card?");

        using (await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("evt-second-host", 8484)))) { }

        await Eventually.GetAsync(() => host.Service<HelpdeskSidecar.Suggestions.SuggestionStore>().ListAsync("8484", 10, CancellationToken.None),
            s => s.Count == 1, because: "the second host's pipeline job to run");
    }
}
