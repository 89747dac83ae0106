using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Reports.Themes;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// <c>report themes [--from] [--to] [--format table|csv|json]</c>: the customer messages of a window grouped into themes,
/// as <c>GET /api/reports/themes</c> gives a manager. The window defaults to the last <c>Sidecar:Themes:Weeks</c> weeks.
/// </summary>
internal static class ReportThemesCommand
{
    private static readonly string[] Formats = ["table", "csv", "json"];
    private static readonly string[] ByTheme = ["theme"];

    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "First day included, yyyy-MM-dd (UTC); default: the start of the window of Sidecar:Themes:Weeks weeks." };
        var to = new Option<string?>("--to") { Description = "Last day included, yyyy-MM-dd (UTC); default: today." };
        var format = new Option<string?>("--format") { Description = "table (default), csv or json." };
        var command = new Command("themes", "Customer messages grouped into themes: counts, weekly trend, examples, gaps, escalations, acceptance, rising themes.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(format);
        command.SetAction((parse, ct) => SidecarCli.GuardAsync(() => RunAsync(
            parse.GetValue(from), parse.GetValue(to), parse.GetValue(format), parse.UnmatchedTokens.ToArray(), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? from, string? to, string? format, string[] hostArgs, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, null, format, Formats, ByTheme);
        if (request is null)
            throw new UsageException(error!.Replace("'from'", "--from", StringComparison.Ordinal).Replace("'to'", "--to", StringComparison.Ordinal)
                .Replace("'format'", "--format", StringComparison.Ordinal).TrimEnd('.'));
        await using var app = Program.BuildHost(hostArgs);
        KbCommands.ValidateOptions(app);
        var report = await app.Services.GetRequiredService<ThemesService>().BuildAsync(request.From, request.To, ct);
        switch (request.Format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(report, ThemesJsonContext.Default.ThemesReport));
                break;
            case "csv":
                Console.Write(report.ToCsv());
                break;
            default:
                Print(report);
                break;
        }
        return SidecarCli.Ok;
    }

    internal static void Print(ThemesReport report)
    {
        Console.WriteLine($"Themes {report.From} – {report.To}: {report.Messages} customer messages, {report.Themes.Count} themes ({report.Encoder}), {report.Other} in small groups");
        if (report.Themes.Count == 0)
            return;
        Console.WriteLine(FormattableString.Invariant($"{"count",6} {"gaps",5} {"esc.",5} {"accept",6}  {"weekly (" + report.Weeks[0] + " … " + report.Weeks[^1] + ")",-28} theme"));
        foreach (var t in report.Themes)
        {
            var weekly = string.Join(' ', t.Weekly.Select(c => c.ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine(FormattableString.Invariant(
                $"{t.Count,6} {Percent(t.GapShare),5} {Percent(t.EscalationShare),5} {Percent(t.AcceptanceRate),6}  {weekly,-28} {t.Name}{(t.Rising ? "  ▲ RISING" : "")}"));
            foreach (var example in t.Examples)
                Console.WriteLine($"{"",27}  “{example}”");
        }
        if (report.Rising.Count > 0)
            Console.WriteLine($"Rising this week ({report.Weeks[^1]}): {string.Join("; ", report.Rising)}");
    }

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";
}
