using System.CommandLine;
using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Cli;

/// <summary><c>history import &lt;csv&gt;</c>: past tickets (<c>text,intent,tags</c>) the classifier learns from; retrains after.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var history = new Command("history", "Past tickets the intent and tag classifier learns from.");
        var file = new Argument<string>("csv") { Description = "CSV with the columns text,intent,tags (tags separated by spaces)." };
        var import = new Command("import", "Import past tickets and retrain the classifier.") { TreatUnmatchedTokensAsErrors = false };
        import.Arguments.Add(file);
        import.SetAction((parse, ct) => SidecarCli.GuardAsync(() => ImportAsync(parse.GetValue(file)!, parse.UnmatchedTokens.ToArray(), ct)));
        history.Subcommands.Add(import);
        return history;
    }

    private static async Task<int> ImportAsync(string path, string[] hostArgs, CancellationToken ct)
    {
        IReadOnlyList<LabeledText> tickets;
        try
        {
            tickets = HistoryStore.ReadCsv(path);
        }
        catch (CsvFormatException ex)
        {
            throw new UsageException(ex.Message);
        }
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var imported = await app.Services.GetRequiredService<HistoryStore>().ImportAsync("csv:" + Path.GetFileName(path), tickets, ct);
        var classifier = await app.Services.GetRequiredService<ClassifierHost>().RetrainAsync(ct);
        Console.WriteLine($"Stored {imported.Stored} of {tickets.Count} past tickets from {path} ({imported}); classifier trained on {classifier?.ExampleCount ?? 0} ({classifier?.Intents.Count ?? 0} intents, {classifier?.Tags.Count ?? 0} tags).");
        return SidecarCli.Ok;
    }
}
