using System.Globalization;
using HelpdeskSidecar.Reports;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>The <c>--format table</c> output of each report.</summary>
internal static partial class ReportCommand
{
    private static void PrintAcceptance(AcceptanceReport report)
    {
        Table(AcceptanceReport.Columns.Select(c => c == "key" ? report.By : c), report.Groups.Append(report.Total).Select(AcceptanceReport.Cells));
        Console.WriteLine($"Drafts created {report.From ?? "any time"} to {report.To ?? "now"}; acceptance_rate = (sent_as_is + edited) / (suggestions - no_reply).");
    }

    private static void PrintUsage(UsageReport report)
    {
        Table(UsageReport.Columns.Select(c => c == "key" ? report.By : c), report.Groups.Append(report.Total).Select(UsageReport.Cells));
        Console.WriteLine($"Suggestions created {report.From ?? "any time"} to {report.To ?? "now"}; latency is the pipeline's total per suggestion (nearest-rank percentiles); model 'offline' made no model call.");
    }

    private static void PrintGaps(GapsReport report)
    {
        Table(GapsReport.Columns, report.Groups.Append(report.Total).Select(g => GapsReport.Cells(g)[..4].Append(string.Join("\n", g.Examples)).ToList()));
        Console.WriteLine($"Knowledge gaps (no confident answer) {report.From ?? "any time"} to {report.To ?? "now"}; gap_rate = gaps / suggestions of the intent; examples are redacted.");
    }

    private static void PrintGapTrend(GapTrendReport report)
    {
        Table(GapTrend.Columns, report.Weeks.Select(GapTrend.Cells));
        Console.WriteLine($"Knowledge gaps per ISO week (UTC) {report.From ?? "any time"} to {report.To ?? "now"}; gap_rate = gaps / suggestions of the week.");
    }

    private static void PrintTags(TagPrecisionReport report)
    {
        Table(TagPrecisionReport.Columns, report.Tags.Select(TagPrecisionReport.Cells));
        Console.WriteLine("Tags settled on solved tickets; precision = kept / (kept + dropped).");
    }

    private static void PrintOverview(OverviewReport report)
    {
        string[] Row(string name, OverviewWindow w) =>
        [
            name, $"{w.From}..{w.To}", ReportCsv.Cell(w.Suggestions), ReportCsv.Cell(w.Drafts), ReportCsv.Cell(w.KnowledgeGaps), ReportCsv.Cell(w.Escalations),
            ReportCsv.Cell(w.AcceptanceRate), ReportCsv.Cell(w.LatencyP50Ms), ReportCsv.Cell(w.LatencyP95Ms),
            ReportCsv.Cell(w.InputTokens + w.OutputTokens), ReportCsv.Cell(w.CostUsd),
        ];
        Table(["window", "days", "suggestions", "drafts", "gaps", "escalations", "acceptance_rate", "latency_p50_ms", "latency_p95_ms", "tokens", "cost_usd"],
            new[] { Row("today", report.Today), Row("week", report.Week) }
                .Concat(report.Last7Days is { } last ? [Row("last 7 days", last)] : [])
                .Concat(report.Previous7Days is { } previous ? [Row("7 days before", previous)] : []));
        Console.WriteLine(FormattableString.Invariant($"Mode: {report.Mode}; generated {report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC."));
    }

    private static void Table(IEnumerable<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().AddColumns(columns.ToArray());
        foreach (var row in rows)
            table.AddRow(row.Select(c => Markup.Escape(c.Length == 0 ? "-" : c)).ToArray());
        ConsoleOutput.Current().Write(table);
    }
}
