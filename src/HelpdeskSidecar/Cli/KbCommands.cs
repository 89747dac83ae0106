using System.CommandLine;
using HelpdeskSidecar.Knowledge;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary><c>kb import &lt;folder|file&gt;</c>, <c>kb sync [zendesk|freshdesk]</c> (see KbSyncCommand.cs) and <c>kb stats</c>.</summary>
internal static class KbCommands
{
    public static Command Create()
    {
        var kb = new Command("kb", "Manage the knowledge index.");

        var folder = new Argument<string>("folder") { Description = "A folder of Markdown, HTML or text articles, or one such file." };
        var tier = new Option<string?>("--tier") { Description = "Default tier: faq, article (default), past_ticket or internal." };
        var locale = new Option<string?>("--locale") { Description = "Default locale, a BCP 47 tag such as en (default) or de-CH." };
        var brand = new Option<string?>("--brand") { Description = "Default brand (none: the articles serve every brand)." };
        var visibility = new Option<string?>("--visibility") { Description = "Default visibility: public (default) or agents." };
        var import = new Command("import", "Import every article under a folder (or one file). The options are defaults; Markdown front matter (tier, locale, brand, visibility, url, updated, title) overrides them per file.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        import.Arguments.Add(folder);
        import.Options.Add(tier);
        import.Options.Add(locale);
        import.Options.Add(brand);
        import.Options.Add(visibility);
        import.SetAction((parse, ct) => SidecarCli.GuardAsync(() =>
        {
            ArticleMetadata defaults;
            try
            {
                defaults = new ArticleMetadata
                {
                    Tier = parse.GetValue(tier) is { } t ? ArticleMetadata.ParseTier(t) : null,
                    Locale = parse.GetValue(locale) is { } l ? ArticleMetadata.ParseLocale(l) : null,
                    Brand = parse.GetValue(brand) is { Length: > 0 } b ? b : null,
                    Visibility = parse.GetValue(visibility) is { } v ? ArticleMetadata.ParseVisibility(v) : null,
                };
            }
            catch (FormatException ex)
            {
                throw new UsageException(ex.Message);
            }
            return ImportAsync(parse.GetValue(folder)!, defaults, parse.UnmatchedTokens.ToArray(), ct);
        }));
        kb.Subcommands.Add(import);

        var helpdesk = new Argument<string?>("helpdesk") { Description = "zendesk or freshdesk; every configured one when left out.", Arity = ArgumentArity.ZeroOrOne };
        // One line, unlike the built-in list of allowed values: exit 2 comes with a one-line reason.
        helpdesk.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } other && !IsHostSetting(other) && other is not ("zendesk" or "freshdesk"))
                result.AddError($"kb sync needs zendesk or freshdesk, not '{other}'");
        });
        var tickets = new Option<bool>("--tickets") { Description = "Zendesk only: also import solved tickets (incremental export) as past tickets for the classifier." };
        var sync = new Command("sync", "Mirror the helpdesk's Help Center / Solutions articles into the index (new, changed, deleted).") { TreatUnmatchedTokensAsErrors = false };
        sync.Arguments.Add(helpdesk);
        sync.Options.Add(tickets);
        sync.SetAction((parse, ct) =>
        {
            // The optional argument swallows the first host setting (`kb sync --Sidecar:...=...`): hand it back.
            var named = parse.GetValue(helpdesk);
            string[] hostArgs = [.. parse.UnmatchedTokens];
            if (named is not null && IsHostSetting(named))
            {
                hostArgs = [named, .. hostArgs];
                named = null;
            }
            return SidecarCli.GuardAsync(() => KbSyncCommand.SyncAsync(named, parse.GetValue(tickets), hostArgs, ct));
        });
        kb.Subcommands.Add(sync);

        var stats = new Command("stats", "Count articles and chunks.") { TreatUnmatchedTokensAsErrors = false };
        stats.SetAction((parse, ct) => SidecarCli.GuardAsync(() => StatsAsync(parse.UnmatchedTokens.ToArray(), ct)));
        kb.Subcommands.Add(stats);
        kb.Subcommands.Add(KbProposalsCommand.Create());
        return kb;
    }

    private static async Task<int> ImportAsync(string folder, ArticleMetadata defaults, string[] hostArgs, CancellationToken ct)
    {
        if (File.Exists(folder))
        {
            // One file is imported as it would be with its folder (same key, same reasons for skipping it).
            if (!DocumentParser.Extensions.Contains(Path.GetExtension(folder).ToLowerInvariant()))
                throw new UsageException($"'{folder}' is a file but not a Markdown, HTML or text file ({string.Join(", ", DocumentParser.Extensions)})");
        }
        else if (!Directory.Exists(folder))
            throw new UsageException($"folder or file '{folder}' does not exist");
        await using var app = Program.BuildHost(hostArgs);
        ValidateOptions(app);
        var importer = app.Services.GetRequiredService<KnowledgeImporter>();
        var report = await ImportWithProgressAsync(importer, folder, ct, defaults);
        Console.WriteLine($"Imported {folder}: {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, {report.Skipped.Count} skipped.");
        foreach (var skipped in report.Skipped)
            Console.WriteLine($"  skipped {skipped}");
        return SidecarCli.Ok;
    }

    internal static async Task<ImportReport> ImportWithProgressAsync(KnowledgeImporter importer, string folder, CancellationToken ct, ArticleMetadata? defaults = null)
    {
        if (ConsoleOutput.ProgressOnStderr() is not { } bar)
            return await importer.ImportFolderAsync(folder, null, ct, defaults);
        ImportReport? report = null;
        await bar.StartAsync(async context =>
        {
            var task = context.AddTask($"Importing {Path.GetFileName(Path.GetFullPath(folder))}");
            var progress = new Progress<(int Done, int Total)>(p =>
            {
                task.MaxValue = p.Total;
                task.Value = p.Done;
            });
            report = await importer.ImportFolderAsync(folder, progress, ct, defaults);
            task.Value = task.MaxValue;
        });
        return report!;
    }

    private static async Task<int> StatsAsync(string[] hostArgs, CancellationToken ct)
    {
        await using var app = Program.BuildHost(hostArgs);
        ValidateOptions(app);
        var (articles, chunks) = await app.Services.GetRequiredService<KnowledgeIndex>().CountAsync(ct);
        Console.WriteLine($"{articles} articles, {chunks} chunks");
        return SidecarCli.Ok;
    }

    private static bool IsHostSetting(string token) => token.StartsWith('-');

    /// <summary>Commands that do not start the host still check its configuration the way start-up would.</summary>
    internal static void ValidateOptions(WebApplication app) =>
        _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.SidecarOptions>>().Value;
}
