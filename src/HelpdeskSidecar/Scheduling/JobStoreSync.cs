using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// The embedded job store commits with <c>synchronous=NORMAL</c> (WAL): safe against a killed process, and four times
/// the job rate of <c>FULL</c> here, because Hangfire.Storage.SQLite commits every statement on its own. A power loss
/// may take back its last commits, and Hangfire's states are only a cache of ours (the inbox row, the suggestion's
/// status), except at one step: once the dispatcher marks inbox rows dispatched, their jobs must be on disk. So the
/// dispatcher calls <see cref="Flush"/> between the two: one <c>FULL</c> commit to the same file, whose fsync makes every
/// earlier commit in the log durable. Other lost commits only send a job back to an earlier state, and every job is
/// idempotent. PostgreSQL commits are durable: nothing to do.
/// </summary>
internal sealed class JobStoreSync : IDisposable
{
    private readonly SQLite.SQLiteConnection? _connection;
    private readonly Lock _gate = new();
    private int _version;

    public JobStoreSync(IOptions<SidecarOptions> options)
    {
        if (SchedulingExtensions.IsPostgres(options.Value))
            return;
        _connection = new SQLite.SQLiteConnection(SchedulingExtensions.JobStorePath(options.Value),
            SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.FullMutex, storeDateTimeAsTicks: true)
        {
            BusyTimeout = TimeSpan.FromSeconds(10),
        };
        _connection.Execute("PRAGMA synchronous=FULL");
    }

    /// <summary>Returns once every job-store commit made before the call is on disk.</summary>
    public void Flush()
    {
        if (_connection is null)
            return;
        lock (_gate)
        {
            // A write to the header page: a real commit (an empty transaction would append nothing, and sync nothing).
            _version = (_version + 1) % 1000;
            _connection.Execute($"PRAGMA user_version = {_version}");
        }
    }

    public void Dispose() => _connection?.Dispose();
}
