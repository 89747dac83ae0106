using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Keeps two runs of the same work apart: one ticket's pipeline runs, one suggestion's write-backs. Hangfire may start
/// a job twice (a run longer than <c>Sidecar:Scheduling:InvisibilityTimeout</c> on SQLite, a duplicate fetch, a
/// retry racing a late original); each run checks our tables first and does nothing when its work is done, and this
/// lock makes that check and the work one step.
/// On the embedded SQLite store one process owns the data dir (<c>sidecar.lock</c>), so an in-process lock is the
/// whole truth and costs no write to the job store (three writes per job with the store's lock, which halved the
/// pipeline's rate). On a shared store (PostgreSQL, several replicas) it is the store's distributed lock, which a
/// holder killed with <c>kill -9</c> loses when its lease expires.
/// </summary>
internal sealed class JobLocks(JobStorage storage)
{
    /// <summary>How long a run waits for another run of the same work before it gives way to a retry.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _local = new(StringComparer.Ordinal);

    /// <exception cref="DistributedLockTimeoutException">Another run held the lock for all of <see cref="Wait"/>.</exception>
    public async Task<IDisposable> AcquireAsync(string resource, CancellationToken ct)
    {
        if (storage is SQLiteStorage)
            return await AcquireLocalAsync(resource, ct);
        var connection = storage.GetConnection();
        try
        {
            return new Lease(connection.Dispose, connection.AcquireDistributedLock("sidecar:" + resource, Wait));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<IDisposable> AcquireLocalAsync(string resource, CancellationToken ct)
    {
        while (true)
        {
            var gate = _local.GetOrAdd(resource, _ => new SemaphoreSlim(1, 1));
            if (!await gate.WaitAsync(Wait, ct))
                throw new DistributedLockTimeoutException(resource);
            if (_local.TryGetValue(resource, out var current) && ReferenceEquals(current, gate))
            {
                return new Lease(() =>
                {
                    // Forget the gate before opening it: a waiter that then gets it sees it is stale and takes the new one.
                    _local.TryRemove(new KeyValuePair<string, SemaphoreSlim>(resource, gate));
                    gate.Release();
                }, null);
            }
            gate.Release(); // removed by the holder that just left: take the current one
        }
    }

    private sealed class Lease(Action release, IDisposable? handle) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
                return;
            handle?.Dispose();
            release();
        }
    }
}
