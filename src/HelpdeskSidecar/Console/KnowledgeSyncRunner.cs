using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Knowledge.Sync;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.WebConsole;

/// <summary>What the console shows while (and after) a sync runs.</summary>
internal sealed record SyncProgress(bool Running, int Done, int Total, string Message);

/// <summary>
/// The console's "sync now": one <c>kb sync</c> of every configured helpdesk at a time, in the background, with
/// progress the page polls. Uses the same <see cref="KnowledgeSync"/> as the CLI; stops with the host.
/// </summary>
internal sealed partial class KnowledgeSyncRunner(
    IServiceProvider services, IOptions<SidecarOptions> options, IHostApplicationLifetime lifetime, ILogger<KnowledgeSyncRunner> logger)
{
    private readonly Lock _gate = new();
    private SyncProgress _progress = new(false, 0, 0, "No sync has run since the sidecar started.");

    public SyncProgress Progress
    {
        get
        {
            lock (_gate)
                return _progress;
        }
    }

    /// <returns>False when a sync is already running or no helpdesk is configured (the progress says which).</returns>
    public bool TryStart(string who)
    {
        var o = options.Value;
        lock (_gate)
        {
            if (_progress.Running)
                return false;
            if (!o.Zendesk.IsConfigured && !o.Freshdesk.IsConfigured)
            {
                _progress = new SyncProgress(false, 0, 0, "No helpdesk is configured: set Sidecar:Zendesk:Subdomain or Sidecar:Freshdesk:Domain (or their BaseUrl).");
                return false;
            }
            _progress = new SyncProgress(true, 0, 0, "Listing the helpdesk's articles…");
        }
        LogStarted(who);
        _ = Task.Run(() => RunAsync(o, lifetime.ApplicationStopping));
        return true;
    }

    private async Task RunAsync(SidecarOptions o, CancellationToken ct)
    {
        var reports = new List<SyncReport>();
        var current = "";
        try
        {
            // One sync at a time across replicas (PostgreSQL): the others say so instead of syncing the same articles again.
            await using var exclusive = await services.GetRequiredService<Storage.Shared.ClusterLocks>().TryAcquireAsync("kb-sync", ct);
            if (exclusive is null)
            {
                Set(new SyncProgress(false, 0, 0, AlreadyRunningElsewhere));
                return;
            }
            var sync = services.GetRequiredService<KnowledgeSync>();
            if (o.Zendesk.IsConfigured)
            {
                current = "Zendesk";
                reports.Add(await sync.SyncAsync(HelpdeskArticles.ZendeskSource,
                    HelpdeskArticles.FromZendeskAsync(services.GetRequiredService<ZendeskClient>(), ct), Reporter("Zendesk"), ct));
            }
            if (o.Freshdesk.IsConfigured)
            {
                current = "Freshdesk";
                reports.Add(await sync.SyncAsync(HelpdeskArticles.FreshdeskSource,
                    HelpdeskArticles.FromFreshdeskAsync(services.GetRequiredService<FreshdeskClient>(), ct), Reporter("Freshdesk"), ct));
            }
            Set(new SyncProgress(false, 1, 1, Summary(reports)));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Set(new SyncProgress(false, 0, 0, "The sync stopped with the sidecar."));
        }
        catch (HelpdeskException e)
        {
            // Our own wording ("Zendesk answered 401 to GET …"), never helpdesk content: shown as it is, and logged.
            LogFailed(current, e);
            Set(Ended($"The sync of {current} failed ({e.Message.TrimEnd('.')}); nothing was deleted from its articles.", reports, "Check the connection settings and the log, then try again."));
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or TimeoutException or System.Data.Common.DbException)
        {
            // Shown on the page (type only: a message may carry helpdesk content) and logged; the next click retries.
            LogFailed(current, e);
            Set(Ended($"The sync of {current} failed ({e.GetType().Name}); nothing was deleted from its articles.", reports, "See the log, then try again."));
        }
        catch (Exception e)
        {
            // Nobody awaits this task: anything unexpected must still end "running", or the button stays disabled for good.
            LogCrashed(current, e);
            Set(Ended($"The sync of {current} stopped on an unexpected error ({e.GetType().Name}).", reports, "See the log."));
        }
    }

    public const string AlreadyRunningElsewhere = "Another replica is syncing the knowledge right now; nothing was started here. Try again once it has finished.";

    /// <summary>A failed run's final status: what went wrong, what the helpdesks synced before it changed, what to do.</summary>
    private static SyncProgress Ended(string failure, IEnumerable<SyncReport> reports, string advice) =>
        new(false, 0, 0, string.Join(" ", new[] { failure, Summary(reports), advice }.Where(part => part.Length > 0)));

    /// <summary>What the helpdesks synced so far changed (empty when none finished).</summary>
    private static string Summary(IEnumerable<SyncReport> reports) => string.Join(" ", reports.Select(r =>
        $"Synced {r.Source}: {r.Added} added, {r.Updated} updated, {r.Deleted} deleted, {r.Unchanged} unchanged."
        + (r.CutOffWarning is { } warning ? " " + warning : "")));

    /// <summary>Reports on the sync's own thread (not posted like <see cref="Progress{T}"/>), so no late report overwrites the final one.</summary>
    private Reporter Reporter(string helpdesk) => new(p => Set(new SyncProgress(true, p.Done, p.Total, $"Syncing {helpdesk}: {p.Done} of {p.Total} articles")));

    private void Set(SyncProgress progress)
    {
        lock (_gate)
            _progress = progress;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge sync started from the console by {Who}")]
    private partial void LogStarted(string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge sync from the console failed while syncing {Helpdesk}; nothing was deleted from its articles")]
    private partial void LogFailed(string helpdesk, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Knowledge sync from the console stopped on an unexpected error while syncing {Helpdesk}")]
    private partial void LogCrashed(string helpdesk, Exception exception);
}

internal sealed class Reporter(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
{
    public void Report((int Done, int Total) value) => report(value);
}
