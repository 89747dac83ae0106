using System.CommandLine;
using System.Text.Json;
using HelpdeskSidecar.Reports;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary><c>report acceptance [--from] [--to] [--by intent|agent|brand|week|tag] [--format table|csv|json]</c>.</summary>
internal static class ReportCommand
{
    private static readonly string[] Formats = ["table", "csv", "json"];

    public static Command Create()
    {
        var report = new Command("report", "Reports on what the agents did with the suggestions.");
        var from = new Option<string?>("--from") { Description = "First day included, yyyy-MM-dd (UTC)." };
        var to = new Option<string?>("--to") { Description = "Last day included, yyyy-MM-dd (UTC)." };
        var by = new Option<string?>("--by") { Description = "Group by intent (default), agent, brand, week or tag." };
        var format = new Option<string?>("--format") { Description = "table (default), csv or json." };
        var acceptance = new Command("acceptance", "Drafts sent as-is, edited, rejected or never answered, and the acceptance rate.") { TreatUnmatchedTokensAsErrors = false };
        acceptance.Options.Add(from);
        acceptance.Options.Add(to);
        acceptance.Options.Add(by);
        acceptance.Options.Add(format);
        acceptance.SetAction((parse, ct) => SidecarCli.GuardAsync(() => AcceptanceAsync(
            parse.GetValue(from), parse.GetValue(to), parse.GetValue(by), parse.GetValue(format), parse.UnmatchedTokens.ToArray(), ct)));
        report.Subcommands.Add(acceptance);
        return report;
    }

    private static async Task<int> AcceptanceAsync(string? from, string? to, string? by, string? format, string[] hostArgs, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats);
        if (request is null)
            throw new UsageException(error!.Replace("'from'", "--from", StringComparison.Ordinal).Replace("'to'", "--to", StringComparison.Ordinal)
                .Replace("'by'", "--by", StringComparison.Ordinal).Replace("'format'", "--format", StringComparison.Ordinal).TrimEnd('.'));
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var facts = await app.Services.GetRequiredService<IAcceptanceReportQuery>().DraftsAsync(request.From, request.To, ct);
        var report = AcceptanceReport.Build(facts, request.From, request.To, request.By);
        switch (request.Format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.AcceptanceReport));
                break;
            case "csv":
                Console.Write(report.ToCsv());
                break;
            default:
                PrintTable(report);
                break;
        }
        return SidecarCli.Ok;
    }

    private static void PrintTable(AcceptanceReport report)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Width = 160;
        }
        var table = new Table().AddColumns(AcceptanceReport.Columns.Select(c => c == "key" ? report.By : c).ToArray());
        foreach (var g in report.Groups.Append(report.Total))
            table.AddRow(AcceptanceReport.Cells(g).Select(c => Markup.Escape(c.Length == 0 ? "-" : c)).ToArray());
        AnsiConsole.Write(table);
        Console.WriteLine($"Drafts created {report.From ?? "any time"} to {report.To ?? "now"}; acceptance_rate = (sent_as_is + edited) / (suggestions - no_reply).");
    }
}
