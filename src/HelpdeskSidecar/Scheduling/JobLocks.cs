using Hangfire;
using Hangfire.Storage;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Keeps two runs of the same work apart: one ticket's pipeline runs, one suggestion's write-backs. Hangfire may start
/// a job twice (a run longer than <c>Sidecar:Scheduling:InvisibilityTimeout</c> on SQLite, a duplicate fetch, a
/// retry racing a late original); each run checks our tables first and does nothing when its work is done, and this
/// lock makes that check and the work one step. It is the job storage's own lock, so it also holds across replicas
/// sharing a PostgreSQL store, and a holder killed with <c>kill -9</c> loses it when its lease expires.
/// </summary>
internal sealed class JobLocks(JobStorage storage)
{
    /// <summary>How long a run waits for another run of the same work before it gives way to a retry.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <exception cref="DistributedLockTimeoutException">Another run held the lock for all of <see cref="Wait"/>.</exception>
    public IDisposable Acquire(string resource)
    {
        var connection = storage.GetConnection();
        try
        {
            return new Lease(connection, connection.AcquireDistributedLock("sidecar:" + resource, Wait));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Lease(IStorageConnection connection, IDisposable handle) : IDisposable
    {
        public void Dispose()
        {
            handle.Dispose();
            connection.Dispose();
        }
    }
}
