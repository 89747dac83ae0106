using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary>The knowledge index and the folder importer on a real SQLite file of the test's own.</summary>
public class KnowledgeIndexTests
{
    private TempDirectory _temp = null!;
    private KnowledgeIndex _index = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        var database = _temp.Database();
        _index = new KnowledgeIndex(database, TimeProvider.System);
    }

    [TearDown]
    public void TearDown()
    {
        _temp.Dispose();
    }

    private static KnowledgeArticle Article(string externalId, string title, string text, string? url = null) =>
        new("files", externalId, title, url, [new ArticleSection(title, text)]);

    [Test]
    public async Task UpsertAsync_NewArticle_AddedAndSearchable()
    {
        var outcome = await _index.UpsertAsync(Article("refunds.md", "Refund policy", "Refunds reach your card within five days."), CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(UpsertOutcome.Added));
        Assert.That(await _index.CountAsync(CancellationToken.None), Is.EqualTo((1L, 1L)));
        var hits = await _index.SearchAsync(["card"], 5, CancellationToken.None);
        Assert.That(hits, Has.Count.EqualTo(1));
        Assert.That(hits[0].Title, Is.EqualTo("Refund policy"));
        Assert.That(hits[0].Text, Is.EqualTo("Refunds reach your card within five days."));
        Assert.That(hits[0].HeadingPath, Is.EqualTo("Refund policy"));
    }

    [Test]
    public async Task UpsertAsync_SameContentTwice_SecondIsUnchanged()
    {
        await _index.UpsertAsync(Article("refunds.md", "Refund policy", "Refunds reach your card within five days."), CancellationToken.None);

        var outcome = await _index.UpsertAsync(Article("refunds.md", "Refund policy", "Refunds reach your card within five days."), CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(UpsertOutcome.Unchanged));
        Assert.That(await _index.CountAsync(CancellationToken.None), Is.EqualTo((1L, 1L)));
        Assert.That(await _index.SearchAsync(["card"], 5, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UpsertAsync_ChangedContent_UpdatedAndOldChunksReplaced()
    {
        await _index.UpsertAsync(Article("refunds.md", "Refund policy", "Refunds reach your card within five days."), CancellationToken.None);

        var outcome = await _index.UpsertAsync(Article("refunds.md", "Refund policy", "Refunds arrive as store credit immediately."), CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(UpsertOutcome.Updated));
        Assert.That(await _index.CountAsync(CancellationToken.None), Is.EqualTo((1L, 1L)));
        Assert.That(await _index.SearchAsync(["card"], 5, CancellationToken.None), Is.Empty);
        var hits = await _index.SearchAsync(["credit"], 5, CancellationToken.None);
        Assert.That(hits.Select(h => h.Text), Is.EqualTo(new[] { "Refunds arrive as store credit immediately." }));
    }

    [Test]
    public async Task UpsertAsync_ChangedTitleAndUrl_SearchReturnsNewOnes()
    {
        await _index.UpsertAsync(Article("refunds.md", "Refund policy", "Money back rules.", "https://old.example.com"), CancellationToken.None);

        await _index.UpsertAsync(Article("refunds.md", "Returns and refunds", "Money back rules.", "https://new.example.com"), CancellationToken.None);

        var hits = await _index.SearchAsync(["money"], 5, CancellationToken.None);
        Assert.That(hits.Select(h => (h.Title, h.Url)), Is.EqualTo(new[] { ("Returns and refunds", (string?)"https://new.example.com") }));
        Assert.That(await _index.SearchAsync(["policy"], 5, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task UpsertAsync_SameExternalIdInOtherSource_AddedSeparately()
    {
        await _index.UpsertAsync(Article("a.md", "Alpha", "Shared words here."), CancellationToken.None);

        var outcome = await _index.UpsertAsync(new KnowledgeArticle("zendesk", "a.md", "Alpha", null, [new ArticleSection("Alpha", "Shared words here.")]), CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(UpsertOutcome.Added));
        Assert.That(await _index.CountAsync(CancellationToken.None), Is.EqualTo((2L, 2L)));
    }

    [Test]
    public async Task SearchAsync_TermInTitle_RanksAboveSingleBodyMention()
    {
        await _index.UpsertAsync(Article("a.md", "Shipping times", "Most parcels arrive quickly. You can also ask for a refund here."), CancellationToken.None);
        await _index.UpsertAsync(Article("b.md", "Refund policy", "Money comes back to the card you paid with."), CancellationToken.None);
        await _index.UpsertAsync(Article("c.md", "Opening hours", "We answer on weekdays."), CancellationToken.None);

        var hits = await _index.SearchAsync(["refund"], 5, CancellationToken.None);

        Assert.That(hits.Select(h => h.Title), Is.EqualTo(new[] { "Refund policy", "Shipping times" }));
        Assert.That(hits[0].Score, Is.GreaterThan(hits[1].Score));
        Assert.That(hits[1].Score, Is.GreaterThan(0), "scores are flipped so that higher is better");
    }

    [Test]
    public async Task SearchAsync_MoreHitsThanK_ReturnsOnlyK()
    {
        for (var i = 0; i < 4; i++)
            await _index.UpsertAsync(Article($"{i}.md", $"Article {i}", "Every article mentions passwords."), CancellationToken.None);

        var hits = await _index.SearchAsync(["passwords"], 2, CancellationToken.None);

        Assert.That(hits, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task SearchAsync_SeveralTerms_MatchedTermsListsOnlyTermsFound()
    {
        await _index.UpsertAsync(Article("a.md", "Refund policy", "Refunds reach your card within five days."), CancellationToken.None);

        var hits = await _index.SearchAsync(["refund", "card", "invoice", "shipping"], 5, CancellationToken.None);

        Assert.That(hits, Has.Count.EqualTo(1));
        Assert.That(hits[0].MatchedTerms, Is.EqualTo(new[] { "refund", "card" }));
    }

    [Test]
    public async Task SearchAsync_PluralInText_MatchedTermsIncludesSingularTerm()
    {
        await _index.UpsertAsync(Article("a.md", "Account", "Passwords expire after a year."), CancellationToken.None);

        var hits = await _index.SearchAsync(["password", "years"], 5, CancellationToken.None);

        Assert.That(hits, Has.Count.EqualTo(1));
        Assert.That(hits[0].MatchedTerms, Is.EqualTo(new[] { "password", "years" }));
    }

    [Test]
    
    public async Task SearchAsync_PluralOfWordEndingInE_MatchedTermsIncludesSingularTerm()
    {
        await _index.UpsertAsync(Article("a.md", "Billing", "Invoices are updated on the first of the month."), CancellationToken.None);

        var hits = await _index.SearchAsync(["invoice", "update"], 5, CancellationToken.None);

        Assert.That(hits, Has.Count.EqualTo(1), "FTS5's porter stemmer matches invoice/invoices and update/updated");
        Assert.That(hits[0].MatchedTerms, Is.EqualTo(new[] { "invoice", "update" }));
    }

    [Test]
    public async Task SearchAsync_NoTerms_Empty()
    {
        await _index.UpsertAsync(Article("a.md", "Refund policy", "Refunds reach your card."), CancellationToken.None);

        Assert.That(await _index.SearchAsync([], 5, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task SearchAsync_TermNotInIndex_Empty()
    {
        await _index.UpsertAsync(Article("a.md", "Refund policy", "Refunds reach your card."), CancellationToken.None);

        Assert.That(await _index.SearchAsync(["kangaroo"], 5, CancellationToken.None), Is.Empty);
    }

    [TestCase("\"")]
    [TestCase("\"refund")]
    [TestCase("AND")]
    [TestCase("OR")]
    [TestCase("NOT")]
    [TestCase("NEAR(")]
    [TestCase("NEAR(refund card)")]
    [TestCase("*")]
    [TestCase("refund*")]
    [TestCase("title:refund")]
    [TestCase("^refund")]
    [TestCase("-")]
    [TestCase("(")]
    [TestCase("")]
    public async Task SearchAsync_TermWithFtsSyntax_DoesNotThrow(string term)
    {
        await _index.UpsertAsync(Article("a.md", "Refund policy", "Refunds reach your card."), CancellationToken.None);

        // An FTS5 syntax error would throw here and fail the test.
        var hits = await _index.SearchAsync([term, "card"], 5, CancellationToken.None);

        // The other, plain term still finds the article: the odd term was read as text, not as syntax.
        Assert.That(hits.Select(h => h.Title), Is.EqualTo(new[] { "Refund policy" }));
    }

    [Test]
    public async Task SearchAsync_QuotedOperatorWord_MatchedAsTextNotOperator()
    {
        await _index.UpsertAsync(Article("a.md", "Logic", "Combine filters with and or not."), CancellationToken.None);
        await _index.UpsertAsync(Article("b.md", "Other", "Nothing relevant."), CancellationToken.None);

        var hits = await _index.SearchAsync(["NOT"], 5, CancellationToken.None);

        Assert.That(hits.Select(h => h.Title), Is.EqualTo(new[] { "Logic" }));
    }

    [Test]
    public async Task ImportFolderAsync_MarkdownHtmlText_ImportedAndOtherExtensionsIgnored()
    {
        var kb = Path.Combine(_temp.Path, "kb");
        _temp.File("kb/refunds.md", "# Refund policy\n\nRefunds reach your card within five days.\n");
        _temp.File("kb/guides/shipping.html", "<h1>Shipping times</h1><p>Parcels arrive in three days.</p>");
        _temp.File("kb/hours.txt", "Opening hours\nWe answer on weekdays.\n");
        _temp.File("kb/notes.pdf", "Warranty claims need a receipt.");
        _temp.File("kb/data.json", "{\"warranty\": \"receipt\"}");
        var importer = new KnowledgeImporter(_index);

        var report = await importer.ImportFolderAsync(kb, null, CancellationToken.None);

        Assert.That((report.Added, report.Updated, report.Unchanged), Is.EqualTo((3, 0, 0)));
        Assert.That(report.Skipped, Is.Empty);
        Assert.That((await _index.CountAsync(CancellationToken.None)).Articles, Is.EqualTo(3));
        Assert.That((await _index.SearchAsync(["card"], 5, CancellationToken.None)).Select(h => h.Title), Is.EqualTo(new[] { "Refund policy" }));
        Assert.That((await _index.SearchAsync(["parcels"], 5, CancellationToken.None)).Select(h => h.Title), Is.EqualTo(new[] { "Shipping times" }));
        Assert.That((await _index.SearchAsync(["weekdays"], 5, CancellationToken.None)).Select(h => h.Title), Is.EqualTo(new[] { "Opening hours" }));
        Assert.That(await _index.SearchAsync(["warranty", "receipt"], 5, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task ImportFolderAsync_SecondRunAfterEdit_CountsUpdatedAndUnchanged()
    {
        var kb = Path.Combine(_temp.Path, "kb");
        _temp.File("kb/a.md", "# Alpha\n\nFirst version.\n");
        _temp.File("kb/b.md", "# Beta\n\nStays the same.\n");
        var importer = new KnowledgeImporter(_index);
        await importer.ImportFolderAsync(kb, null, CancellationToken.None);
        _temp.File("kb/a.md", "# Alpha\n\nSecond version.\n");
        _temp.File("kb/c.txt", "Gamma\nA new one.\n");

        var report = await importer.ImportFolderAsync(kb, null, CancellationToken.None);

        Assert.That((report.Added, report.Updated, report.Unchanged), Is.EqualTo((1, 1, 1)));
        Assert.That(await _index.CountAsync(CancellationToken.None), Is.EqualTo((3L, 3L)));
    }

    [Test]
    public async Task ImportFolderAsync_FileWithoutText_SkippedWithTheReason()
    {
        var kb = Path.Combine(_temp.Path, "kb");
        _temp.File("kb/empty.md", "");
        _temp.File("kb/title-only.md", "# Only a title\n");
        _temp.File("kb/real.md", "# Real\n\nSome text.\n");

        var report = await new KnowledgeImporter(_index).ImportFolderAsync(kb, null, CancellationToken.None);

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.Skipped, Is.EqualTo(new[] { "empty.md (empty file)", "title-only.md (no text besides the title)" }));
    }

    [Test]
    public void ImportFolderAsync_MissingFolder_ThrowsDirectoryNotFound()
    {
        var importer = new KnowledgeImporter(_index);

        Assert.That(
            () => importer.ImportFolderAsync(Path.Combine(_temp.Path, "does-not-exist"), null, CancellationToken.None),
            Throws.TypeOf<DirectoryNotFoundException>());
    }

    [Test]
    
    public async Task ImportFolderAsync_LastFileSkipped_ProgressStillReachesTotal()
    {
        var kb = Path.Combine(_temp.Path, "kb");
        _temp.File("kb/a.md", "# Alpha\n\nSome text.\n");
        _temp.File("kb/z.md", "");
        var reports = new List<(int Done, int Total)>();

        await new KnowledgeImporter(_index).ImportFolderAsync(kb, new SynchronousProgress(reports.Add), CancellationToken.None);

        Assert.That(reports, Has.Count.GreaterThan(0));
        Assert.That(reports[^1], Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task ImportFolderAsync_Progress_ReportsEachFileOutOfTotal()
    {
        var kb = Path.Combine(_temp.Path, "kb");
        _temp.File("kb/a.md", "# Alpha\n\nSome text.\n");
        _temp.File("kb/b.md", "# Beta\n\nMore text.\n");
        var reports = new List<(int Done, int Total)>();

        await new KnowledgeImporter(_index).ImportFolderAsync(kb, new SynchronousProgress(reports.Add), CancellationToken.None);

        Assert.That(reports, Is.EqualTo(new[] { (1, 2), (2, 2) }));
    }

    /// <summary><see cref="Progress{T}"/> posts to the thread pool; this one records in line, so the test need not wait.</summary>
    private sealed class SynchronousProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
