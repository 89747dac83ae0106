using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Knowledge;

public class DocumentParserTests
{
    [Test]
    public void Parse_MarkdownWithHeading_TitleIsFirstHeading()
    {
        var article = DocumentParser.Parse("files", "a.md", "reset-password.md", "# Reset your password\n\nOpen the sign-in page.\n");

        Assert.That(article.Title, Is.EqualTo("Reset your password"));
        Assert.That(article.Sections, Has.Count.EqualTo(1));
        Assert.That(article.Sections[0].HeadingPath, Is.EqualTo("Reset your password"));
        Assert.That(article.Sections[0].Text, Is.EqualTo("Open the sign-in page."));
    }

    [Test]
    public void Parse_MarkdownWithoutHeading_TitleIsFileNameWithSpaces()
    {
        var article = DocumentParser.Parse("files", "a.md", "/kb/reset-your_password.md", "Open the sign-in page and choose Forgot password.\n");

        Assert.That(article.Title, Is.EqualTo("reset your password"));
        Assert.That(article.Sections.Single().HeadingPath, Is.EqualTo("reset your password"));
    }

    [Test]
    public void Parse_MarkdownSectionsAndSubsections_HeadingPathJoinsTitleSectionSub()
    {
        const string markdown = """
            # Billing

            Intro paragraph.

            ## Refunds

            Refunds take five days.

            ### Partial refunds

            Partial refunds are prorated.

            ## Invoices

            Invoices arrive by email.
            """;

        var article = DocumentParser.Parse("files", "billing.md", "billing.md", markdown);

        Assert.That(article.Sections.Select(s => (s.HeadingPath, s.Text)), Is.EqualTo(new[]
        {
            ("Billing", "Intro paragraph."),
            ("Billing › Refunds", "Refunds take five days."),
            ("Billing › Refunds › Partial refunds", "Partial refunds are prorated."),
            ("Billing › Invoices", "Invoices arrive by email."),
        }));
    }

    [Test]
    public void Parse_MarkdownLink_KeepsLinkTextAndDropsUrl()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Help\n\nUse the [reset page](https://example.com/reset?x=1) to start.\n");

        var text = article.Sections.Single().Text;
        Assert.That(text, Is.EqualTo("Use the reset page to start."));
        Assert.That(text, Does.Not.Contain("example.com"));
    }

    [Test]
    public void Parse_MarkdownEmphasisAndCode_MarksRemoved()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Help\n\nPress **Save** and run `sync`.\n");

        Assert.That(article.Sections.Single().Text, Is.EqualTo("Press Save and run sync."));
    }

    [Test]
    public void Parse_MarkdownParagraphsAndList_KeptAsSeparateParagraphs()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Help\n\nFirst paragraph.\n\n- one\n- two\n\nLast paragraph.\n");

        Assert.That(article.Sections.Single().Text, Is.EqualTo("First paragraph.\n\n- one\n- two\n\nLast paragraph."));
    }

    [Test]
    public void Parse_MarkdownHeadingWithClosingHashes_HeadingTextHasNoHashes()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Help #\n\n## Refunds ##\n\nRefunds take five days.\n");

        Assert.That(article.Title, Is.EqualTo("Help"));
        Assert.That(article.Sections.Single().HeadingPath, Is.EqualTo("Help › Refunds"));
    }

    [Test]
    
    public void Parse_MarkdownSetextHeading_TitleHasNoUnderline()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "Reset your password\n===================\n\nOpen the sign-in page.\n");

        Assert.That(article.Title, Is.EqualTo("Reset your password"));
    }

    [Test]
    public void Parse_MarkdownEmpty_NoSections()
    {
        var article = DocumentParser.Parse("files", "a.md", "empty.md", "");

        Assert.That(article.Sections, Is.Empty);
        Assert.That(article.Title, Is.EqualTo("empty"));
    }

    [Test]
    public void Parse_MarkdownOnlyHeading_NoSections()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Just a title\n");

        Assert.That(article.Title, Is.EqualTo("Just a title"));
        Assert.That(article.Sections, Is.Empty);
    }

    [Test]
    public void Parse_MarkdownUrl_IsNull()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Help\n\nText.\n");

        Assert.That(article.Url, Is.Null);
        Assert.That(article.Source, Is.EqualTo("files"));
        Assert.That(article.ExternalId, Is.EqualTo("a.md"));
    }

    [Test]
    public void Parse_HtmlWithH1_TitleFromH1NotTitleElement()
    {
        const string html = "<html><head><title>Site name</title></head><body><h1>Change your email</h1><p>Open Profile.</p></body></html>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Title, Is.EqualTo("Change your email"));
        Assert.That(article.Sections.Single().HeadingPath, Is.EqualTo("Change your email"));
        Assert.That(article.Sections.Single().Text, Is.EqualTo("Open Profile."));
    }

    [Test]
    public void Parse_HtmlWithoutH1_TitleFromTitleElement()
    {
        const string html = "<html><head><title>  Change\n your email </title></head><body><p>Open Profile.</p></body></html>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Title, Is.EqualTo("Change your email"));
    }

    [Test]
    public void Parse_HtmlWithoutH1OrTitle_TitleFromFileName()
    {
        var article = DocumentParser.Parse("files", "a.html", "change-email.html", "<html><body><p>Open Profile.</p></body></html>");

        Assert.That(article.Title, Is.EqualTo("change email"));
    }

    [Test]
    public void Parse_HtmlH2AndH3_SectionsWithHeadingPath()
    {
        const string html = """
            <html><body>
            <h1>Shipping</h1>
            <p>We ship worldwide.</p>
            <h2>Costs</h2>
            <p>Shipping is free over 50 euros.</p>
            <h3>Express</h3>
            <p>Express costs 10 euros.</p>
            <h2>Tracking</h2>
            <p>Tracking links arrive by email.</p>
            </body></html>
            """;

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Sections.Select(s => (s.HeadingPath, s.Text)), Is.EqualTo(new[]
        {
            ("Shipping", "We ship worldwide."),
            ("Shipping › Costs", "Shipping is free over 50 euros."),
            ("Shipping › Costs › Express", "Express costs 10 euros."),
            ("Shipping › Tracking", "Tracking links arrive by email."),
        }));
    }

    [Test]
    public void Parse_HtmlList_ItemsPrefixedWithDash()
    {
        const string html = "<h1>Steps</h1><h2>How</h2><p>Do this:</p><ul><li>Open  Settings</li><li>Choose\nBilling</li></ul>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Sections.Single().Text, Is.EqualTo("Do this:\n\n- Open Settings\n\n- Choose Billing"));
    }

    [Test]
    public void Parse_HtmlTable_RowCellsJoinedWithPipe()
    {
        const string html = "<h1>Plans</h1><table><thead><tr><th>Plan</th><th>Price</th></tr></thead><tbody><tr><td>Basic</td><td>5 euros</td></tr><tr><td>Pro</td><td>12 euros</td></tr></tbody></table>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Sections.Single().Text, Is.EqualTo("Plan | Price\n\nBasic | 5 euros\n\nPro | 12 euros"));
    }

    [Test]
    public void Parse_HtmlParagraphInsideListItem_ReadOnce()
    {
        const string html = "<h1>Steps</h1><ol><li><p>Open the Orders page.</p></li><li><p>Pick the order.</p></li></ol>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        var text = article.Sections.Single().Text;
        Assert.That(text, Is.EqualTo("- Open the Orders page.\n\n- Pick the order."));
        Assert.That(text.Split("Open the Orders page.").Length - 1, Is.EqualTo(1));
    }

    [Test]
    public void Parse_HtmlCanonicalLink_BecomesUrl()
    {
        const string html = "<html><head><link rel=\"canonical\" href=\"https://help.example.com/articles/42\"></head><body><h1>A</h1><p>Body text.</p></body></html>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Url, Is.EqualTo("https://help.example.com/articles/42"));
    }

    [Test]
    public void Parse_HtmlWithoutCanonicalLink_UrlIsNull()
    {
        var article = DocumentParser.Parse("files", "a.html", "a.html", "<h1>A</h1><p>Body text.</p>");

        Assert.That(article.Url, Is.Null);
    }

    [Test]
    public void Parse_HtmlEmpty_NoSections()
    {
        var article = DocumentParser.Parse("files", "a.html", "a.html", "");

        Assert.That(article.Sections, Is.Empty);
    }

    [Test]
    public void Parse_TextFile_FirstNonEmptyLineIsTitleAndRestIsBody()
    {
        const string text = "\n  Opening hours  \r\nWe are open 9 to 5.\r\nOn weekdays.\r\n\r\n\r\nClosed on holidays.\r\n";

        var article = DocumentParser.Parse("files", "hours.txt", "hours.txt", text);

        Assert.That(article.Title, Is.EqualTo("Opening hours"));
        Assert.That(article.Sections.Single().HeadingPath, Is.EqualTo("Opening hours"));
        Assert.That(article.Sections.Single().Text, Is.EqualTo("We are open 9 to 5.\nOn weekdays.\n\nClosed on holidays."));
    }

    [Test]
    public void Parse_TextFileWithOverlongFirstLine_TitleFromFileNameAndFirstLineKept()
    {
        var longLine = new string('x', 121);

        var article = DocumentParser.Parse("files", "a.txt", "opening_hours.txt", longLine + "\nSecond line.");

        Assert.That(article.Title, Is.EqualTo("opening hours"));
        Assert.That(article.Sections.Single().Text, Does.StartWith(longLine));
    }

    [Test]
    public void Parse_TextFileEmpty_NoSections()
    {
        var article = DocumentParser.Parse("files", "a.txt", "empty.txt", "");

        Assert.That(article.Sections, Is.Empty);
    }

    [Test]
    public void Parse_UnknownExtension_ReadAsText()
    {
        var article = DocumentParser.Parse("files", "a.log", "a.log", "# Not markdown\nbody");

        Assert.That(article.Title, Is.EqualTo("# Not markdown"));
    }
    [TestCase("javascript:alert(1)")]
    [TestCase("/articles/42")]
    [TestCase("data:text/html,<b>x</b>")]
    public void Parse_HtmlCanonicalLinkNotHttp_NoUrl(string href)
    {
        var html = $"<html><head><link rel=\"canonical\" href=\"{href}\"></head><body><h1>A</h1><p>Body text.</p></body></html>";

        var article = DocumentParser.Parse("files", "a.html", "a.html", html);

        Assert.That(article.Url, Is.Null);
    }
}
