using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Sync;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary><c>kb sync [zendesk|freshdesk] [--tickets]</c>: the helpdesk's knowledge base into the index, with a progress bar.</summary>
internal static class KbSyncCommand
{
    /// <param name="helpdesk"><c>zendesk</c>, <c>freshdesk</c>, or <c>null</c> for every configured one.</param>
    public static async Task<int> SyncAsync(string? helpdesk, bool tickets, string[] hostArgs, CancellationToken ct)
    {
        if (tickets && helpdesk == HelpdeskArticles.FreshdeskSource)
            throw new UsageException("--tickets needs zendesk (Freshdesk has no incremental ticket export here)");
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var options = app.Services.GetRequiredService<IOptions<SidecarOptions>>().Value;
        var targets = helpdesk is not null
            ? [helpdesk]
            : new[] { (HelpdeskArticles.ZendeskSource, options.Zendesk.IsConfigured), (HelpdeskArticles.FreshdeskSource, options.Freshdesk.IsConfigured) }
                .Where(t => t.IsConfigured).Select(t => t.Item1).ToList();
        if (targets.Count == 0)
            throw new UsageException("no helpdesk is configured: set Sidecar:Zendesk:Subdomain or Sidecar:Freshdesk:Domain (or their BaseUrl)");
        if (tickets && !targets.Contains(HelpdeskArticles.ZendeskSource))
            throw new UsageException("--tickets needs Zendesk: set Sidecar:Zendesk:Subdomain (or Sidecar:Zendesk:BaseUrl)");

        // One sync at a time across replicas (PostgreSQL), the console's "Sync now" included.
        await using var exclusive = await app.Services.GetRequiredService<Storage.Shared.ClusterLocks>().TryAcquireAsync("kb-sync", ct);
        if (exclusive is null)
        {
            await Console.Error.WriteLineAsync("error: a knowledge sync is already running (another replica or the console); nothing was started. Try again once it has finished.");
            return SidecarCli.Failure;
        }
        var sync = app.Services.GetRequiredService<KnowledgeSync>();
        foreach (var target in targets)
        {
            try
            {
                await SyncOneAsync(app, sync, options, target, ct);
            }
            catch (HelpdeskException ex)
            {
                // The helpdesk's failure, not the caller's mistake: exit 1 with our own one-line message (it names the
                // status or the exception type, never helpdesk content). The listing comes before any deletion.
                await Console.Error.WriteLineAsync($"error: kb sync {target} failed: {ex.Message.TrimEnd('.')}; nothing was deleted.");
                return SidecarCli.Failure;
            }
        }

        if (tickets)
        {
            var importer = app.Services.GetRequiredService<PastTicketImporter>();
            var client = app.Services.GetRequiredService<ZendeskClient>();
            PastTicketReport past;
            try
            {
                past = await WithTicketProgressAsync(p => importer.ImportAsync(client, p, ct));
            }
            catch (HelpdeskException ex)
            {
                await Console.Error.WriteLineAsync($"error: kb sync zendesk --tickets failed: {ex.Message.TrimEnd('.')}; the tickets of the pages read before it are kept and the next run resumes there.");
                return SidecarCli.Failure;
            }
            Console.WriteLine($"Past tickets: {past.Exported} exported, {past.Imported} solved or closed imported as '{PastTicketImporter.HistorySource}'"
                + (past.TrainedOn is { } n ? $"; classifier retrained on {n}." : "; classifier unchanged."));
        }
        return SidecarCli.Ok;
    }

    /// <summary>One helpdesk's articles into the index, with the one-line summary.</summary>
    private static async Task SyncOneAsync(WebApplication app, KnowledgeSync sync, SidecarOptions options, string target, CancellationToken ct)
    {
        SyncReport report;
        if (target == HelpdeskArticles.ZendeskSource)
        {
            if (!options.Zendesk.IsConfigured)
                throw new UsageException("Zendesk is not configured: set Sidecar:Zendesk:Subdomain (or Sidecar:Zendesk:BaseUrl)");
            var client = app.Services.GetRequiredService<ZendeskClient>();
            report = await WithProgressAsync("Syncing Zendesk Help Center", p => sync.SyncAsync(target, HelpdeskArticles.FromZendeskAsync(client, ct), p, ct));
        }
        else
        {
            if (!options.Freshdesk.IsConfigured)
                throw new UsageException("Freshdesk is not configured: set Sidecar:Freshdesk:Domain (or Sidecar:Freshdesk:BaseUrl)");
            var client = app.Services.GetRequiredService<FreshdeskClient>();
            report = await WithProgressAsync("Syncing Freshdesk Solutions", p => sync.SyncAsync(target, HelpdeskArticles.FromFreshdeskAsync(client, ct), p, ct));
        }
        Console.WriteLine($"Synced {target}: {report.Added} added, {report.Updated} updated, {report.Deleted} deleted, {report.Unchanged} unchanged, "
            + $"{report.Skipped} skipped (empty); {report.AgentsOnly} drafts or restricted kept agents-only.");
        if (report.CutOffWarning is { } warning)
            Console.WriteLine(warning);
    }

    /// <summary>The export does not say how many tickets are left: a spinner with the running count.</summary>
    private static async Task<PastTicketReport> WithTicketProgressAsync(Func<IProgress<int>?, Task<PastTicketReport>> run)
    {
        if (ConsoleOutput.ProgressOnStderr() is not { } bar)
            return await run(null);
        PastTicketReport? report = null;
        await bar.StartAsync(async context =>
        {
            var task = context.AddTask("Exporting Zendesk tickets");
            task.IsIndeterminate = true;
            var progress = new Progress<int>(exported => task.Description = $"Exporting Zendesk tickets ({exported})");
            report = await run(progress);
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
        });
        return report!;
    }

    private static async Task<SyncReport> WithProgressAsync(string label, Func<IProgress<(int Done, int Total)>?, Task<SyncReport>> run)
    {
        if (ConsoleOutput.ProgressOnStderr() is not { } bar)
            return await run(null);
        SyncReport? report = null;
        await bar.StartAsync(async context =>
        {
            var task = context.AddTask(label);
            task.IsIndeterminate = true; // while the helpdesk is being listed
            var progress = new Progress<(int Done, int Total)>(p =>
            {
                task.IsIndeterminate = false;
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Done;
            });
            report = await run(progress);
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
        });
        return report!;
    }
}
