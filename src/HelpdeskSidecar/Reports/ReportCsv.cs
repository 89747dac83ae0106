using System.Buffers;
using System.Globalization;
using System.Text;

namespace HelpdeskSidecar.Reports;

/// <summary>
/// RFC 4180 output shared by the reports: a header, then rows; cells formatted invariantly, and no cell a spreadsheet
/// would run as a formula.
/// </summary>
internal static class ReportCsv
{
    /// <summary>
    /// First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's CSV-injection
    /// list, plus line feed and the full-width forms some locales treat the same way).
    /// </summary>
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r\n＝＋－＠");

    public static string Write(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', columns.Select(Escape))).Append("\r\n");
        foreach (var row in rows)
            csv.Append(string.Join(',', row.Select(Escape))).Append("\r\n");
        return csv.ToString();
    }

    /// <summary>
    /// Quotes a cell where RFC 4180 needs it. A cell that starts like a formula (intents, tags, agent and brand names and
    /// gap questions all come from people outside our control) gets a leading <c>'</c> and quotes, as OWASP advises, so
    /// a spreadsheet shows it as text. Every cell goes through this, numbers included: the numbers we write (counts,
    /// rates, tokens, cost, latency) are never negative, so none of them changes; one that ever were would show as
    /// text, which is the safe way to be wrong.
    /// </summary>
    public static string Escape(string cell)
    {
        if (cell.Length > 0 && FormulaStarts.Contains(cell[0]))
            return Quote("'" + cell);
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? Quote(cell) : cell;
    }

    private static string Quote(string cell) => $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Cell(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    public static string Cell(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
