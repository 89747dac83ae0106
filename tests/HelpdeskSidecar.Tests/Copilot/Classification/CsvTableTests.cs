using HelpdeskSidecar.Copilot.Classification;

namespace HelpdeskSidecar.Tests.Copilot.Classification;

public class CsvTableTests
{
    [Test]
    public void Read_QuotedFieldsWithCommasQuotesAndNewlines()
    {
        var csv = "text,category\r\n\"Hi, my \"\"card\"\"\nis late\",card_arrival\nplain,other\n";
        var rows = CsvTable.Read(new StringReader(csv), "t.csv", "text", "category");
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0]["text"], Is.EqualTo("Hi, my \"card\"\nis late"));
        Assert.That(rows[1]["category"], Is.EqualTo("other"));
    }

    [Test]
    public void Read_MissingColumn_NamesIt()
    {
        var ex = Assert.Throws<CsvFormatException>(() => CsvTable.Read(new StringReader("text,label\na,b\n"), "t.csv", "text", "category"));
        Assert.That(ex!.Message, Does.Contain("'category'"));
    }

    [Test]
    public void Read_WrongFieldCount_NamesTheLine()
    {
        var ex = Assert.Throws<CsvFormatException>(() => CsvTable.Read(new StringReader("text,category\na,b\nc,d,e\n"), "t.csv", "text", "category"));
        Assert.That(ex!.Message, Does.Contain("line 3"));
    }
}
