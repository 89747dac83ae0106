using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Scheduling;

/// <summary>Two runs of the same work never overlap; runs of different work do not wait for each other.</summary>
public class JobLocksTests
{
    [Test]
    public async Task AcquireAsync_SameResource_SecondWaitsForTheFirst()
    {
        using var dir = new TempDirectory();
        using var storage = new SQLiteStorage(Path.Combine(dir.Path, "hangfire.db"), new SQLiteStorageOptions());
        var locks = new JobLocks(storage);

        var first = await locks.AcquireAsync("ticket:zendesk:1", CancellationToken.None);
        var second = locks.AcquireAsync("ticket:zendesk:1", CancellationToken.None);
        var other = await locks.AcquireAsync("ticket:zendesk:2", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var waited = await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300)));

        Assert.That(waited, Is.Not.SameAs(second), "the second run of ticket 1 waits while the first holds it");
        first.Dispose();
        using var secondLease = await second.WaitAsync(TimeSpan.FromSeconds(5));
        other.Dispose();
        Assert.That(second.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task AcquireAsync_ManyRunsOfOneResource_NeverTwoAtOnce()
    {
        using var dir = new TempDirectory();
        using var storage = new SQLiteStorage(Path.Combine(dir.Path, "hangfire.db"), new SQLiteStorageOptions());
        var locks = new JobLocks(storage);
        var inside = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using (await locks.AcquireAsync("write-back:s1", CancellationToken.None))
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }));

        Assert.That(most, Is.EqualTo(1));
    }

    [Test]
    public async Task AcquireAsync_TwoReplicasOnOnePostgresStore_NeverTwoAtOnce()
    {
        // Two job stores on one database stand for two replicas: the lock is the store's, not the process's.
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        var replicas = Enumerable.Range(0, 2)
            .Select(_ => new JobLocks(new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options)))
            .ToArray();
        var inside = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using (await replicas[i % 2].AcquireAsync("write-back:s1", CancellationToken.None))
            {
                InterlockedMax(ref most, Interlocked.Increment(ref inside));
                await Task.Delay(5);
                Interlocked.Decrement(ref inside);
            }
        }));

        Assert.That(most, Is.EqualTo(1));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
