using System.CommandLine;
using System.Text.Json;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Suggestions.Tagging;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>report acceptance|gaps|usage|tags|routes|overview</c>: the reports of <c>/api/reports/…</c> on the command line, each
/// with <c>--format table|csv|json</c> (overview: table or json), read from the data dir's store.
/// </summary>
internal static partial class ReportCommand
{
    private static readonly string[] Formats = ["table", "csv", "json"];
    private static readonly string[] OverviewFormats = ["table", "json"];
    private static readonly string[] GapGroupings = ["intent", "week"];

    public static Command Create()
    {
        var report = new Command("report", "Reports on what the agents did with the suggestions, knowledge gaps, latency and model cost.");
        report.Subcommands.Add(Windowed("acceptance", "Drafts sent as-is, edited, rejected or never answered, and the acceptance rate.",
            "Group by intent (default), agent, brand, week or tag.", AcceptanceAsync));
        report.Subcommands.Add(Windowed("usage", "Pipeline latency p50/p95, model calls, tokens and cost.",
            "Group by intent (default), model, day or week (ISO, UTC).", UsageAsync));
        report.Subcommands.Add(Gaps());
        report.Subcommands.Add(Simple("tags", "Auto-tag precision per tag, as the agents voted by keeping or removing tags.", TagsAsync));
        report.Subcommands.Add(Simple("routes", "Routing precision per rule and target, as the agents voted by keeping or changing the route.", RoutesAsync));
        report.Subcommands.Add(ReportThemesCommand.Create());
        report.Subcommands.Add(Simple("overview", "Today's and this week's suggestions, acceptance, gaps, latency, mode, tokens and cost.", OverviewAsync));
        report.Subcommands.Add(Resolution());
        return report;
    }

    private delegate Task<int> WindowedAction(string? from, string? to, string? by, string? format, string[] hostArgs, CancellationToken ct);

    private static Command Windowed(string name, string description, string byDescription, WindowedAction action)
    {
        var (from, to, format) = WindowOptions();
        var by = new Option<string?>("--by") { Description = byDescription };
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(by);
        command.Options.Add(format);
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => action(
            parse.GetValue(from), parse.GetValue(to), parse.GetValue(by), parse.GetValue(format), parse.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static Command Gaps()
    {
        var (from, to, format) = WindowOptions();
        var examples = new Option<string?>("--examples") { Description = $"Example questions per intent, 0 to {GapsReport.MaxExamples} (default {GapsReport.DefaultExamples})." };
        var by = new Option<string?>("--by") { Description = "intent (default: gaps by intent with example questions) or week (gaps per ISO week, UTC)." };
        var command = new Command("gaps", "Tickets with no confident answer, by intent, with redacted example questions.") { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(by);
        command.Options.Add(examples);
        command.Options.Add(format);
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => GapsAsync(
            parse.GetValue(from), parse.GetValue(to), parse.GetValue(by), parse.GetValue(examples), parse.GetValue(format), parse.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static Command Simple(string name, string description, Func<string?, string[], CancellationToken, Task<int>> action)
    {
        var format = new Option<string?>("--format") { Description = name == "overview" ? "table (default) or json." : "table (default), csv or json." };
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(format);
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => action(parse.GetValue(format), parse.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static (Option<string?> From, Option<string?> To, Option<string?> Format) WindowOptions() => (
        new Option<string?>("--from") { Description = "First day included, yyyy-MM-dd (UTC)." },
        new Option<string?>("--to") { Description = "Last day included, yyyy-MM-dd (UTC)." },
        new Option<string?>("--format") { Description = "table (default), csv or json." });

    private static async Task<int> AcceptanceAsync(string? from, string? to, string? by, string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(from, to, by, format, Formats));
        await using var app = BuildHost(hostArgs);
        var facts = await app.Services.GetRequiredService<IAcceptanceReportQuery>().DraftsAsync(request.From, request.To, ct);
        var labels = await app.Services.GetRequiredService<ReportNames>().LabelsAsync(facts, ct);
        var report = AcceptanceReport.Build(facts, request.From, request.To, request.By, labels);
        Write(request.Format, () => JsonSerializer.Serialize(report, ReportJsonContext.Default.AcceptanceReport), report.ToCsv, () => PrintAcceptance(report));
        return SidecarCli.Ok;
    }

    private static async Task<int> UsageAsync(string? from, string? to, string? by, string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(from, to, by, format, Formats, UsageReport.Groupings));
        await using var app = BuildHost(hostArgs);
        var facts = await app.Services.GetRequiredService<ISuggestionReportQuery>().SuggestionsAsync(request.From, request.To, ct);
        var report = UsageReport.Build(facts, request.From, request.To, request.By);
        Write(request.Format, () => JsonSerializer.Serialize(report, ReportJsonContext.Default.UsageReport), report.ToCsv, () => PrintUsage(report));
        return SidecarCli.Ok;
    }

    private static async Task<int> GapsAsync(string? from, string? to, string? by, string? examples, string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(from, to, by, format, Formats, GapGroupings));
        var (count, error) = ReportRequest.ParseExamples(examples);
        if (error is not null)
            throw new UsageException(OptionNames(error));
        await using var app = BuildHost(hostArgs);
        var facts = await app.Services.GetRequiredService<ISuggestionReportQuery>().SuggestionsAsync(request.From, request.To, ct);
        if (request.By == "week")
        {
            var trend = GapTrendReport.Build(facts, request.From, request.To);
            Write(request.Format, () => JsonSerializer.Serialize(trend, ReportJsonContext.Default.GapTrendReport), trend.ToCsv, () => PrintGapTrend(trend));
            return SidecarCli.Ok;
        }
        var report = GapsReport.Build(facts, request.From, request.To, count);
        Write(request.Format, () => JsonSerializer.Serialize(report, ReportJsonContext.Default.GapsReport), report.ToCsv, () => PrintGaps(report));
        return SidecarCli.Ok;
    }

    private static async Task<int> TagsAsync(string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(null, null, null, format, Formats));
        await using var app = BuildHost(hostArgs);
        var report = new TagPrecisionReport(await app.Services.GetRequiredService<TagOutcomes>().PrecisionAsync(ct));
        Write(request.Format, () => JsonSerializer.Serialize(report, ReportJsonContext.Default.TagPrecisionReport), report.ToCsv, () => PrintTags(report));
        return SidecarCli.Ok;
    }

    private static async Task<int> RoutesAsync(string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(null, null, null, format, Formats));
        await using var app = BuildHost(hostArgs);
        var report = new RoutePrecisionReport(await app.Services.GetRequiredService<Suggestions.Routing.RouteOutcomes>().PrecisionAsync(ct));
        Write(request.Format, () => JsonSerializer.Serialize(report, ReportJsonContext.Default.RoutePrecisionReport), report.ToCsv, () =>
        {
            Table(RoutePrecisionReport.Columns, report.Routes.Select(RoutePrecisionReport.Cells));
            Console.WriteLine("Routes settled on solved tickets; precision = kept / (kept + dropped).");
        });
        return SidecarCli.Ok;
    }

    private static async Task<int> OverviewAsync(string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(null, null, null, format, OverviewFormats));
        await using var app = BuildHost(hostArgs);
        var report = await app.Services.GetRequiredService<OverviewQuery>().GetAsync(ct);
        Write(request.Format, () => JsonSerializer.Serialize(report, ReportJsonContext.Default.OverviewReport), () => "", () => PrintOverview(report));
        return SidecarCli.Ok;
    }

    private static WebApplication BuildHost(string[] hostArgs)
    {
        var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        return app;
    }

    private static void Write(string format, Func<string> json, Func<string> csv, Action table)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine(json());
                break;
            case "csv":
                Console.Write(csv());
                break;
            default:
                table();
                break;
        }
    }

    private static ReportRequest Checked((ReportRequest? Request, string? Error) parsed) =>
        parsed.Request ?? throw new UsageException(OptionNames(parsed.Error!));

    /// <summary>The shared messages name query parameters (<c>'from'</c>); on the command line they are options.</summary>
    private static string OptionNames(string error)
    {
        foreach (var name in new[] { "from", "to", "by", "format", "examples" })
            error = error.Replace($"'{name}'", $"--{name}", StringComparison.Ordinal);
        return error.TrimEnd('.');
    }
}
