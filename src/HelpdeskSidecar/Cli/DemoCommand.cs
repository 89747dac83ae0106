using System.CommandLine;
using System.Globalization;
using System.Text;
using HelpdeskSidecar.Helpdesks.Replay;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>demo [--no-serve]</c>: the embedded defaults end to end. A fresh data dir, the sample knowledge
/// imported, every sample ticket pushed through the real inbox, scheduler and pipeline in Shadow mode,
/// and each suggestion compared with the reply the agent really sent.
/// </summary>
internal static class DemoCommand
{
    public const string DemoUser = "demo";

    public static Command Create()
    {
        var noServe = new Option<bool>("--no-serve") { Description = "Exit after the summary instead of serving the API." };
        var samples = new Option<string?>("--samples") { Description = "The samples folder (default: ./samples, searched upwards)." };
        var urls = HostSettings.UrlsOption();
        var demo = new Command("demo", "Run the sample tickets through the pipeline on the embedded defaults.") { TreatUnmatchedTokensAsErrors = false };
        demo.Options.Add(noServe);
        demo.Options.Add(samples);
        demo.Options.Add(urls);
        demo.SetAction((parse, ct) => SidecarCli.GuardAsync(() =>
            RunAsync(parse.GetValue(samples), parse.GetValue(noServe), HostSettings.HostArgs(parse, urls), ct)));
        return demo;
    }

    private static async Task<int> RunAsync(string? samplesOption, bool noServe, string[] hostArgs, CancellationToken ct)
    {
        var samples = samplesOption ?? FindSamples() ?? throw new UsageException("no samples folder found; pass --samples <folder>");
        var knowledge = Path.Combine(samples, "knowledge");
        var export = Path.Combine(samples, "tickets", "zendesk-export.json");
        if (!Directory.Exists(knowledge) || !File.Exists(export))
            throw new UsageException($"'{samples}' must hold knowledge/ and tickets/zendesk-export.json");

        var dataDir = Path.GetFullPath(Path.Combine(".data", "demo"));
        // A demo still serving from this data dir keeps it: refuse rather than pull its data from under it.
        using var dataDirLock = DataDirLock.Acquire(dataDir);
        foreach (var entry in new DirectoryInfo(dataDir).EnumerateFileSystemInfos().Where(e => e.Name != DataDirLock.FileName))
        {
            if (entry is DirectoryInfo folder)
                folder.Delete(recursive: true);
            else
                entry.Delete();
        }
        string[] demoArgs =
        [
            .. hostArgs,
            $"--Sidecar:DataDir={dataDir}",
            $"--Sidecar:Replay:File={export}",
            "--Sidecar:Mode=Shadow",
            "--Sidecar:Scheduling:Debounce=00:00:00.100",
            "--Sidecar:Scheduling:InboxPollInterval=00:00:00.200",
        ];
        // --no-serve needs the inbox, scheduler and pipeline but no listener: no port is bound at all.
        await using var app = Program.BuildHost(demoArgs, builder =>
        {
            HostStart.QuietStartFailures(builder);
            if (noServe)
                Hosting.NoServer.Use(builder);
        });

        // The export is read before the host starts: a malformed one is the caller's mistake, one line and exit 2.
        var replay = app.Services.GetRequiredService<ReplayHelpdesk>();
        IReadOnlyCollection<ReplayTicket> tickets;
        try
        {
            tickets = replay.Tickets;
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(string.Join(' ', ex.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        await HostStart.StartAsync(app, ct);
        try
        {
            return await RunStartedAsync(app, samples, knowledge, tickets, noServe, dataDir, ct);
        }
        finally
        {
            // Whatever happened, the started host stops: left running, its threads kept the process alive after an error.
            await HostStart.StopAsync(app);
        }
    }

    private static async Task<int> RunStartedAsync(WebApplication app, string samples, string knowledge, IReadOnlyCollection<ReplayTicket> tickets,
        bool noServe, string dataDir, CancellationToken ct)
    {
        var importReport = await KbCommands.ImportWithProgressAsync(app.Services.GetRequiredService<KnowledgeImporter>(), knowledge, ct);
        Console.WriteLine($"Knowledge: {importReport.Added} articles imported from {knowledge}");

        // Past tickets with the intents and tags agents gave them: the classifier learns the taxonomy from these
        // (none of them is one of the replayed tickets).
        var historyFile = Path.Combine(samples, "history", "past-tickets.csv");
        if (File.Exists(historyFile))
        {
            IReadOnlyList<Copilot.Classification.LabeledText> past;
            try
            {
                past = Copilot.Classification.HistoryStore.ReadCsv(historyFile);
            }
            catch (Copilot.Classification.CsvFormatException ex)
            {
                throw new UsageException(ex.Message);
            }
            await app.Services.GetRequiredService<Copilot.Classification.HistoryStore>().ImportAsync("samples", past, ct);
            var classifier = await app.Services.GetRequiredService<Copilot.Classification.ClassifierHost>().RetrainAsync(ct);
            Console.WriteLine($"History: classifier trained on {past.Count} past tickets ({classifier?.Intents.Count ?? 0} intents, {classifier?.Tags.Count ?? 0} tags) from {historyFile}");
        }

        var inbox = app.Services.GetRequiredService<InboxWriter>();
        foreach (var t in tickets)
        {
            var payload = Encoding.UTF8.GetBytes($$$"""{"type":"zen:event-type:ticket.created","detail":{"id":"{{{t.Ticket.Id}}}"}}""");
            await inbox.AppendAsync(new InboxEvent("replay", $"demo-{t.Ticket.Id}", "zen:event-type:ticket.created", t.Ticket.Id, payload), ct);
        }
        Console.WriteLine($"Replaying {tickets.Count} tickets through the inbox, scheduler and pipeline (Shadow mode)…");

        var store = app.Services.GetRequiredService<SuggestionStore>();
        var suggestions = await WaitForSuggestionsAsync(store, tickets.Count, TimeSpan.FromMinutes(2), ct);
        var rows = new List<DemoRow>();
        var shadow = new List<Suggestions.Acceptance.ShadowRow>();
        var evaluation = app.Services.GetRequiredService<Suggestions.Acceptance.ShadowEvaluation>();
        foreach (var t in tickets)
        {
            var s = suggestions.FirstOrDefault(x => x.TicketId == t.Ticket.Id);
            var scored = await evaluation.ScoreAsync(t, s, ct);
            shadow.Add(scored);
            rows.Add(new DemoRow(t, s, scored.Similarity));
        }
        Print(rows);
        ShadowSummary.Print(shadow, await app.Services.GetRequiredService<Suggestions.Tagging.TagOutcomes>().PrecisionAsync(ct));
        await PrintAuthoringAsync(app.Services, tickets, suggestions, ct);
        // Themes of the replayed customer messages, as 'report themes' and /console/themes show them.
        Console.WriteLine();
        ReportThemesCommand.Print(await app.Services.GetRequiredService<Reports.Themes.ThemesService>().BuildAsync(null, null, ct));
        // The figures above are stored there: 'report …' on that data dir shows the same numbers.
        Console.WriteLine($"Data dir: {dataDir} (e.g. 'report tags --Sidecar:DataDir={dataDir}')");

        if (rows.Any(r => r.Suggestion is null))
        {
            await Console.Error.WriteLineAsync($"error: {rows.Count(r => r.Suggestion is null)} tickets got no suggestion within the time limit");
            return SidecarCli.Failure;
        }
        if (noServe)
            return SidecarCli.Ok;
        // A fresh admin for the console each run: the password is random and printed here only.
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
        await app.Services.GetRequiredService<Access.UserStore>().UpsertAsync(DemoUser, Access.Role.Admin, password, ct);
        var url = app.Urls.First().TrimEnd('/');
        Console.WriteLine($"Console: {url}/console — sign in as '{DemoUser}' with password {password} (Admin; shown only now).");
        Console.WriteLine($"Serving the API on {string.Join(", ", app.Urls)} — /api needs a token: 'tokens create --role Admin --Sidecar:DataDir={dataDir}'. Ctrl+C stops.");
        await app.WaitForShutdownAsync(ct);
        return SidecarCli.Ok;
    }

    /// <summary>Knowledge authoring (issue 19): the gap tickets solved with their agents' replies become article proposals.</summary>
    private static async Task PrintAuthoringAsync(IServiceProvider services, IReadOnlyCollection<ReplayTicket> tickets, IReadOnlyList<Suggestion> suggestions, CancellationToken ct)
    {
        var report = await Knowledge.Proposals.DemoAuthoring.RunAsync(services, tickets, suggestions, DemoUser, ct);
        Console.WriteLine($"Knowledge authoring: {report.SolvedGaps} knowledge-gap tickets solved → {report.Proposals.Count} article proposals");
        foreach (var p in report.Proposals.OrderBy(p => p.CreatedAt))
            Console.WriteLine($"  {p.Status,-9} {p.Title} ({p.Questions.Count} question{(p.Questions.Count == 1 ? "" : "s")}: tickets {string.Join(", ", p.Questions.Select(q => q.TicketId))})");
        if (report.First is { } first)
        {
            Console.WriteLine($"  Approved the first as '{DemoUser}': {first.Message} Publishing again: {report.Retry?.Message} Draft articles in the replay help center: {report.DraftArticles}.");
            Console.WriteLine("  Review the others at /console/knowledge/proposals.");
        }
    }

    private static async Task<IReadOnlyList<Suggestion>> WaitForSuggestionsAsync(SuggestionStore store, int expected, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        IReadOnlyList<Suggestion> found = [];
        try
        {
            while ((found = await store.ListAsync(null, 10_000, ct)).Count < expected)
                await Task.Delay(100, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // timed out: report what there is
        }
        return found;
    }

    private sealed record DemoRow(ReplayTicket Ticket, Suggestion? Suggestion, double? Similarity);

    private static void Print(IReadOnlyList<DemoRow> rows)
    {
        if (Console.IsOutputRedirected)
        {
            // A log file or a pipe: no colour codes, and room for the table.
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Width = 160;
        }
        var table = new Table().AddColumns("Ticket", "Subject", "Suggestion", "Top source", "Similarity to agent reply");
        foreach (var r in rows)
        {
            var kind = r.Suggestion switch
            {
                null => "[red]none[/]",
                { Kind: SuggestionKind.KnowledgeGap } => "[yellow]knowledge gap[/]",
                { Kind: SuggestionKind.Escalation } => "[red]escalated to a human[/]",
                { Kind: SuggestionKind.Withheld } => "[yellow]draft withheld[/]",
                _ => "draft",
            };
            var source = r.Suggestion?.Trace.Sources.FirstOrDefault()?.Title ?? "-";
            table.AddRow(
                Markup.Escape(r.Ticket.Ticket.Id),
                Markup.Escape(Truncate(r.Ticket.Ticket.Subject, 44)),
                kind,
                Markup.Escape(Truncate(source, 40)),
                r.Similarity?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-");
        }
        AnsiConsole.Write(table);

        var drafts = rows.Where(r => r.Suggestion?.Kind == SuggestionKind.Draft).ToList();
        var gaps = rows.Where(r => r.Suggestion?.Kind == SuggestionKind.KnowledgeGap).ToList();
        var uncovered = rows.Where(r => r.Ticket.Ticket.Tags.Contains("other")).ToList();
        var similarities = drafts.Where(r => r.Similarity is not null).Select(r => r.Similarity!.Value).ToList();
        var latencies = rows.Where(r => r.Suggestion is not null).Select(r => r.Suggestion!.Trace.TimingsMs.Total).Order().ToList();
        Console.WriteLine();
        Console.WriteLine($"Tickets: {rows.Count}   drafts: {drafts.Count}   knowledge gaps: {gaps.Count}   no suggestion: {rows.Count(r => r.Suggestion is null)}");
        if (similarities.Count > 0)
        {
            // The verdicts (sent as is / edited / rejected) and the expected acceptance per intent follow the table.
            Console.WriteLine(FormattableString.Invariant(
                $"Similarity of the drafts to the agents' real replies: mean {similarities.Average():0.00} over {similarities.Count} drafts"));
        }
        Console.WriteLine($"Gaps on tickets the knowledge base does not cover (tagged 'other'): {gaps.Count(g => uncovered.Contains(g))}/{uncovered.Count}; gaps elsewhere: {gaps.Count(g => !uncovered.Contains(g))}");
        // Tag precision is printed by ShadowSummary from the store 'report tags' reads, not computed here.
        if (latencies.Count > 0)
            Console.WriteLine(FormattableString.Invariant($"Pipeline time per ticket (load → retrieve → draft): p50 {latencies[latencies.Count / 2]:0.0} ms, max {latencies[^1]:0.0} ms"));
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string? FindSamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples");
                if (Directory.Exists(Path.Combine(candidate, "knowledge")))
                    return candidate;
            }
        }
        return null;
    }
}
