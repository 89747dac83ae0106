using System.Text.Json;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Reports.Resolution;

namespace HelpdeskSidecar.Cli;

/// <summary><c>report resolution</c>: verified resolution next to acceptance, as <c>GET /api/reports/resolution</c> gives it.</summary>
internal static partial class ReportCommand
{
    private static System.CommandLine.Command Resolution() => Windowed("resolution",
        "Drafted tickets verified-resolved (solved, not reopened nor followed by a new ticket on the same theme within the window), next to acceptance.",
        "Group by intent (default), agent, brand or week.", ResolutionAsync);

    private static async Task<int> ResolutionAsync(string? from, string? to, string? by, string? format, string[] hostArgs, CancellationToken ct)
    {
        var request = Checked(ReportRequest.Parse(from, to, by, format, Formats, ResolutionReport.Groupings));
        await using var app = BuildHost(hostArgs);
        var report = await ResolutionEndpoints.BuildAsync(app.Services, request, ct);
        Write(request.Format, () => JsonSerializer.Serialize(report, ResolutionJsonContext.Default.ResolutionReport), report.ToCsv, () =>
        {
            Table(ResolutionReport.Columns.Select(c => c == "key" ? report.By : c), report.Groups.Append(report.Total).Select(ResolutionReport.Cells));
            Console.WriteLine(FormattableString.Invariant(
                $"Drafted tickets {report.From ?? "any time"} to {report.To ?? "now"}, as of {report.AsOf}; window {report.WindowDays} days. verified_resolution_rate = verified / (verified + reopened + recontacted); pending tickets (window still open) are not counted as resolved."));
        });
        return SidecarCli.Ok;
    }
}
