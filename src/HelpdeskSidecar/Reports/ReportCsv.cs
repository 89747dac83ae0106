using System.Globalization;
using System.Text;

namespace HelpdeskSidecar.Reports;

/// <summary>RFC 4180 output shared by the reports: a header, then rows; cells formatted invariantly.</summary>
internal static class ReportCsv
{
    public static string Write(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', columns.Select(Escape))).Append("\r\n");
        foreach (var row in rows)
            csv.Append(string.Join(',', row.Select(Escape))).Append("\r\n");
        return csv.ToString();
    }

    public static string Escape(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    public static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Cell(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    public static string Cell(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
