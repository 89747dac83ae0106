using System.Data.Common;
using Dapper;

namespace HelpdeskSidecar.Storage.Shared;

/// <summary>
/// Work that one replica at a time may do (a knowledge sync, a policy file save): a PostgreSQL session advisory lock,
/// held on a connection of its own for as long as the work runs. A replica that dies loses its connection, and the
/// lock with it, so nothing waits for a lease to run out. On SQLite one process owns the data dir
/// (<c>sidecar.lock</c>), so the lock is a no-op and the callers' own in-process gates are the whole story.
/// </summary>
internal sealed class ClusterLocks(Database database)
{
    /// <returns>The held lock, or null when another replica holds it.</returns>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken ct)
    {
        if (!database.IsPostgres)
            return NoLock.Instance;
        var connection = await database.OpenAsync(ct);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT pg_try_advisory_lock(hashtextextended(@name, 0))", new { name = Prefix + name }, cancellationToken: ct)))
                return new Held(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Waits until the lock is free, then holds it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct)
    {
        if (!database.IsPostgres)
            return NoLock.Instance;
        var connection = await database.OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_lock(hashtextextended(@name, 0))", new { name = Prefix + name }, cancellationToken: ct));
            return new Held(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private const string Prefix = "helpdesk-sidecar:";

    private sealed class Held(DbConnection connection, string name) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
                return;
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@name, 0))", new { name = Prefix + name });
            }
            catch (DbException)
            {
                // The connection broke, and its session's locks went with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
