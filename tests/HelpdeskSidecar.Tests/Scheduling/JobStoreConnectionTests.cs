using Hangfire.Storage;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>
/// The embedded job store's connections survive the store's own lock renewal: a held distributed lock renews itself
/// from a timer thread on the holder's connection while the holder keeps using it (as Hangfire's delayed-job scheduler
/// does under load). On connections opened without SQLite's mutex this crashed the process inside e_sqlite3.
/// </summary>
public class JobStoreConnectionTests
{
    [Test]
    public void HeldLock_RenewedWhileItsConnectionIsBusy_EveryCallAnswers()
    {
        using var dir = new TempDirectory();
        var storage = SchedulingExtensions.CreateJobStorage(new SidecarOptions { DataDir = dir.Path });
        using var connection = (JobStorageConnection)storage.GetConnection();
        using var held = connection.AcquireDistributedLock("busy-holder", TimeSpan.FromSeconds(5));

        // The lock renews every lifetime / 5 (3 s): two renewals land inside this loop, each while a call is running.
        var started = TimeProvider.System.GetTimestamp();
        var calls = 0;
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(7))
        {
            connection.SetRangeInHash($"busy:{calls % 16}", [new("n", calls.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            Assert.That(connection.GetAllEntriesFromHash($"busy:{calls % 16}")!["n"], Is.EqualTo(calls.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            calls++;
        }

        Assert.That(calls, Is.GreaterThan(100), "the connection stayed busy through the renewals");
        using var again = storage.GetConnection().AcquireDistributedLock("busy-holder-2", TimeSpan.FromSeconds(5));
    }
}
