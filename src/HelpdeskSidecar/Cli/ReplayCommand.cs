using System.CommandLine;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Helpdesks.Replay;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions.Acceptance;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>replay --tickets &lt;export&gt; [--format zendesk|freshdesk] [--knowledge &lt;folder&gt;]</c>: shadow evaluation of a helpdesk
/// export. Each ticket goes through the real pipeline as it stood before the agent's first reply (nothing is
/// written anywhere but the data dir), and the draft is scored against that reply.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var tickets = new Option<string>("--tickets") { Description = "A helpdesk export: Zendesk incremental export with comment events, or Freshdesk tickets with conversations.", Required = true };
        var format = new Option<string?>("--format") { Description = "The export's format: zendesk (default) or freshdesk." };
        var knowledge = new Option<string?>("--knowledge") { Description = "A folder of articles to import first (else the data dir's index is used)." };
        var history = new Option<string?>("--history") { Description = "Past tickets (text,intent,tags) to learn intents and tags from first." };
        var replay = new Command("replay", "Run the pipeline on historical tickets and score the drafts against the agents' real replies.") { TreatUnmatchedTokensAsErrors = false };
        replay.Options.Add(tickets);
        replay.Options.Add(format);
        replay.Options.Add(knowledge);
        replay.Options.Add(history);
        replay.SetAction((parse, ct) => SidecarCli.GuardAsync(() =>
            RunAsync(parse.GetValue(tickets)!, parse.GetValue(format), parse.GetValue(knowledge), parse.GetValue(history), parse.UnmatchedTokens.ToArray(), ct)));
        return replay;
    }

    private static async Task<int> RunAsync(string tickets, string? format, string? knowledge, string? history, string[] hostArgs, CancellationToken ct)
    {
        var shape = string.IsNullOrWhiteSpace(format) ? "zendesk" : format.Trim().ToLowerInvariant();
        if (!Configuration.ReplayOptions.Formats.Contains(shape))
            throw new UsageException($"--format {shape} is not supported (supported: {string.Join(", ", Configuration.ReplayOptions.Formats)})");
        if (Directory.Exists(tickets))
            throw new UsageException($"--tickets '{tickets}' is a directory, not an export file");
        if (!File.Exists(tickets))
            throw new UsageException($"--tickets '{tickets}' does not exist");
        if (knowledge is not null && File.Exists(knowledge))
            throw new UsageException($"--knowledge '{knowledge}' is a file, not a folder of articles");
        if (knowledge is not null && !Directory.Exists(knowledge))
            throw new UsageException($"--knowledge '{knowledge}' does not exist");
        if (history is not null && Directory.Exists(history))
            throw new UsageException($"--history '{history}' is a directory, not a CSV file");
        if (history is not null && !File.Exists(history))
            throw new UsageException($"--history '{history}' does not exist");

        // Quiet by default (one log line per ticket drowns the summary); --Logging:LogLevel:Default=Information brings them back.
        await using var app = Program.BuildHost(["--Logging:LogLevel:Default=Warning", .. hostArgs, $"--Sidecar:Replay:File={Path.GetFullPath(tickets)}",
            $"--Sidecar:Replay:Format={shape}", "--Sidecar:Mode=Shadow"]);
        KbCommands.ValidateOptions(app);
        if (knowledge is not null)
            await KbCommands.ImportWithProgressAsync(app.Services.GetRequiredService<KnowledgeImporter>(), knowledge, ct);

        if (history is not null)
        {
            IReadOnlyList<LabeledText> past;
            try
            {
                past = HistoryStore.ReadCsv(history);
            }
            catch (CsvFormatException ex)
            {
                throw new UsageException(ex.Message);
            }
            await app.Services.GetRequiredService<HistoryStore>().ImportAsync(Path.GetFileName(history), past, ct);
        }

        IReadOnlyCollection<ReplayTicket> replayed;
        try
        {
            replayed = app.Services.GetRequiredService<ReplayHelpdesk>().Tickets;
        }
        catch (InvalidDataException ex)
        {
            // One line: a JSON error may quote the offending text, line breaks and all.
            throw new UsageException(string.Join(' ', ex.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        var pipeline = app.Services.GetRequiredService<CopilotPipeline>();
        var evaluation = app.Services.GetRequiredService<ShadowEvaluation>();
        var rows = new List<ShadowRow>();
        foreach (var t in replayed)
        {
            var outcome = await pipeline.RunAsync("replay", t.Ticket.Id, [], ct);
            rows.Add(await evaluation.ScoreAsync(t, outcome.Suggestion, ct));
        }
        ShadowSummary.Print(rows, await app.Services.GetRequiredService<Suggestions.Tagging.TagOutcomes>().PrecisionAsync(ct));
        return SidecarCli.Ok;
    }
}
