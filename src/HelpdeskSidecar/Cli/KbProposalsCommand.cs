using System.CommandLine;
using System.Text.Json;
using HelpdeskSidecar.Knowledge.Proposals;

namespace HelpdeskSidecar.Cli;

/// <summary><c>kb proposals [--status proposed|approved|published|rejected] [--format table|json]</c>: article proposals from solved knowledge gaps.</summary>
internal static class KbProposalsCommand
{
    public static Command Create()
    {
        var status = new Option<string?>("--status") { Description = "Only proposals in this state: proposed, approved, published or rejected." };
        var format = new Option<string>("--format") { Description = "table (default) or json (the API's shape).", DefaultValueFactory = _ => "table" };
        var command = new Command("proposals", "List the article proposals written from agents' answers to solved knowledge gaps (review them in the console).") { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(status);
        command.Options.Add(format);
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => ListAsync(parse.GetValue(status), parse.GetValue(format)!, parse.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static async Task<int> ListAsync(string? status, string format, string[] hostArgs, CancellationToken ct)
    {
        if (status is not null && !ProposalStatus.All.Contains(status))
            throw new UsageException($"--status must be one of {string.Join(", ", ProposalStatus.All)}");
        if (format is not ("table" or "json"))
            throw new UsageException("--format must be table or json");
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var proposals = await app.Services.GetRequiredService<ProposalStore>().ListAsync(status, 1000, ct);
        if (format == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(new ProposalList(proposals.Select(ProposalView.Of).ToList()), ProposalJsonContext.Default.ProposalList));
            return SidecarCli.Ok;
        }
        Console.WriteLine($"{proposals.Count} article proposals{(status is null ? "" : " " + status)}");
        foreach (var p in proposals.OrderBy(p => p.CreatedAt))
        {
            var published = p.PublishedArticleId is { } article ? $" → draft article {article}" : p.PublishError is { } error ? $" (not published: {error})" : "";
            Console.WriteLine($"{p.Id}  {p.Status,-9}  {p.Questions.Count,2} question(s)  {p.Title}{published}");
        }
        return SidecarCli.Ok;
    }
}
