using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary><c>kb import</c>: which file is which article across folders, and which files are skipped and why.</summary>
public class KnowledgeImporterTests
{
    private TempDirectory _temp = null!;
    private Database _database = null!;
    private KnowledgeIndex _index = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _database = _temp.Database();
        _index = new KnowledgeIndex(_database, TimeProvider.System);
    }

    [TearDown]
    public void TearDown()
    {
        _temp.Dispose();
    }

    private Task<ImportReport> ImportAsync(string folder) =>
        new KnowledgeImporter(_index).ImportFolderAsync(Path.Combine(_temp.Path, folder), null, CancellationToken.None);

    private async Task<long> ArticleCountAsync() => (await _index.CountAsync(CancellationToken.None)).Articles;

    [Test]
    public async Task ImportFolderAsync_SameFileNameInAnotherFolder_BothArticlesKept()
    {
        _temp.File("kb/a/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        _temp.File("kb/b/faq.md", "# Gift wrapping\n\nWe wrap any parcel in recycled paper.\n");
        await ImportAsync("kb/a");

        var second = await ImportAsync("kb/b");

        Assert.That((second.Added, second.Updated), Is.EqualTo((1, 0)));
        Assert.That(await ArticleCountAsync(), Is.EqualTo(2));
        Assert.That((await _index.SearchAsync(["rockets"], 5, CancellationToken.None)).Select(h => h.Title), Is.EqualTo(new[] { "Shipping to Mars" }));
    }

    [Test]
    public async Task ImportFolderAsync_ParentOfAnImportedFolder_SameFileUnchangedNotDuplicated()
    {
        _temp.File("kbp/A/refund-policy.md", "# Refund policy\n\nRefunds reach your card within five days.\n");
        await ImportAsync("kbp/A");

        var parent = await ImportAsync("kbp");

        Assert.That((parent.Added, parent.Updated, parent.Unchanged), Is.EqualTo((0, 0, 1)));
        Assert.That(await ArticleCountAsync(), Is.EqualTo(1));
    }
    [Test]
    public async Task ImportFolderAsync_FolderReachedThroughALink_SameArticlesUnchanged()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        Directory.CreateSymbolicLink(Path.Combine(_temp.Path, "kb-link"), Path.Combine(_temp.Path, "kb"));
        await ImportAsync("kb");

        var throughLink = await ImportAsync("kb-link");

        Assert.That((throughLink.Added, throughLink.Unchanged), Is.EqualTo((0, 1)));
        Assert.That(await ArticleCountAsync(), Is.EqualTo(1));
    }

    /// <summary>An article stored under the old key (the path relative to the folder imported then), as an older version left it.</summary>
    private async Task StoreUnderOldKeyAsync(string oldKey, string file)
    {
        var path = Path.Combine(_temp.Path, file);
        await _index.UpsertAsync(DocumentParser.Parse("files", oldKey, path, await File.ReadAllTextAsync(path)), CancellationToken.None);
    }

    [Test]
    public async Task ImportFolderAsync_ArticleStoredUnderOldRelativeKey_SameFolderAgainUnchangedAndRekeyed()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        await StoreUnderOldKeyAsync("faq.md", "kb/faq.md");

        var report = await ImportAsync("kb");

        Assert.That((report.Added, report.Updated, report.Unchanged), Is.EqualTo((0, 0, 1)));
        var keys = await _index.ListExternalIdsAsync("files", CancellationToken.None);
        Assert.That(keys, Has.Count.EqualTo(1));
        Assert.That(keys.Single(), Does.EndWith("/kb/faq.md").And.Matches<string>(Path.IsPathRooted));
    }

    [Test]
    public async Task ImportFolderAsync_ArticleStoredUnderOldKeyThenEdited_UpdatedNotDuplicated()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        await StoreUnderOldKeyAsync("faq.md", "kb/faq.md");
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets now leave every Monday.\n");

        var report = await ImportAsync("kb");

        Assert.That((report.Added, report.Updated), Is.EqualTo((0, 1)));
        Assert.That(await ArticleCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task ImportFolderAsync_OldKeyFromAChildFolder_ParentImportUnchangedNotDuplicated()
    {
        _temp.File("kbp/A/refund-policy.md", "# Refund policy\n\nRefunds reach your card within five days.\n");
        await StoreUnderOldKeyAsync("refund-policy.md", "kbp/A/refund-policy.md");

        var report = await ImportAsync("kbp");

        Assert.That((report.Added, report.Unchanged), Is.EqualTo((0, 1)));
        Assert.That(await ArticleCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task ImportFolderAsync_OldKeyOfAnotherFoldersFile_LeftAlone()
    {
        _temp.File("kb/a/guides/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        _temp.File("kb/b/faq.md", "# Gift wrapping\n\nWe wrap any parcel in recycled paper.\n");
        await StoreUnderOldKeyAsync("faq.md", "kb/b/faq.md");

        var report = await ImportAsync("kb/a");

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(await _index.ListExternalIdsAsync("files", CancellationToken.None), Does.Contain("faq.md"));
    }
    [Test]
    public async Task ImportFolderAsync_DanglingLink_SkippedWithReasonOthersImported()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "kb", "dangling.md"), "/nonexistent/dangling.md");

        var report = await ImportAsync("kb");

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.Skipped, Is.EqualTo(new[] { "dangling.md (cannot be read: it links to '/nonexistent/dangling.md', which does not exist)" }));
    }

    [Test]
    public async Task ImportFolderAsync_LinkLoop_EachFileImportedOnceAndTheLoopNamed()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        _temp.File("kb/sub/returns.md", "# Returns\n\nReturn any item within thirty days.\n");
        Directory.CreateSymbolicLink(Path.Combine(_temp.Path, "kb", "self"), ".");
        Directory.CreateSymbolicLink(Path.Combine(_temp.Path, "kb", "sub", "up"), "..");

        var report = await ImportAsync("kb");

        Assert.That((report.Added, report.Unchanged), Is.EqualTo((2, 0)));
        Assert.That(await ArticleCountAsync(), Is.EqualTo(2));
        Assert.That(report.Skipped, Is.EqualTo(new[]
        {
            "self/ (a link to a folder already read: not followed again)",
            "sub/up/ (a link to a folder already read: not followed again)",
        }));
    }

    [Test]
    public async Task ImportFolderAsync_LinkToAFileInTheSameFolder_ImportedOnce()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "kb", "questions.md"), "faq.md");

        var report = await ImportAsync("kb");

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.Skipped, Is.EqualTo(new[] { "questions.md (the same file as faq.md)" }));
    }

    [Test]
    public async Task ImportFolderAsync_BinaryFile_SkippedWithReasonNotIndexed()
    {
        _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        var random = new byte[20_000];
        new Random(7).NextBytes(random);
        await File.WriteAllBytesAsync(Path.Combine(_temp.Path, "kb", "binary.md"), random);

        var report = await ImportAsync("kb");

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.Skipped, Has.Count.EqualTo(1));
        Assert.That(report.Skipped[0], Does.StartWith("binary.md (").And.Contain("UTF-8"));
        Assert.That((await _index.CountAsync(CancellationToken.None)).Chunks, Is.EqualTo(1));
    }

    [Test]
    public async Task ImportFolderAsync_Latin1Text_SkippedAsNotUtf8()
    {
        await File.WriteAllBytesAsync(Path.Combine(_temp.Path, "legacy.txt"), System.Text.Encoding.Latin1.GetBytes("Caf\u00e9 hours\nWe open at nine.\n"));
        Directory.CreateDirectory(Path.Combine(_temp.Path, "kb"));
        File.Move(Path.Combine(_temp.Path, "legacy.txt"), Path.Combine(_temp.Path, "kb", "legacy.txt"));

        var report = await ImportAsync("kb");

        Assert.That(report.Added, Is.EqualTo(0));
        Assert.That(report.Skipped, Is.EqualTo(new[] { "legacy.txt (not UTF-8 text: binary, or another encoding (save it as UTF-8))" }));
    }

    [TestCase("utf-16")]
    [TestCase("utf-16BE")]
    [TestCase("utf-8")]
    public async Task ImportFolderAsync_TextWithByteOrderMark_Imported(string encodingName)
    {
        var encoding = System.Text.Encoding.GetEncoding(encodingName);
        Directory.CreateDirectory(Path.Combine(_temp.Path, "kb"));
        await File.WriteAllTextAsync(Path.Combine(_temp.Path, "kb", "hours.txt"), "Opening hours\nWe answer on weekdays, caf\u00e9 included.\n", encoding);

        var report = await ImportAsync("kb");

        Assert.That((report.Added, report.Skipped.Count), Is.EqualTo((1, 0)));
        Assert.That((await _index.SearchAsync(["weekdays"], 5, CancellationToken.None)).Select(h => h.Title), Is.EqualTo(new[] { "Opening hours" }));
    }

    [Test]
    public async Task ImportFolderAsync_Utf16WithoutByteOrderMark_SkippedWithReason()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "kb"));
        await File.WriteAllBytesAsync(Path.Combine(_temp.Path, "kb", "hours.txt"), System.Text.Encoding.Unicode.GetBytes("Opening hours\nWeekdays.\n"));

        var report = await ImportAsync("kb");

        Assert.That(report.Skipped, Is.EqualTo(new[] { "hours.txt (binary: it contains NUL bytes (UTF-16 text needs a byte-order mark))" }));
    }

    [Test]
    public async Task ImportFolderAsync_OneFile_ImportedUnderTheKeyItsFolderGivesIt()
    {
        var file = _temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        _temp.File("kb/other.md", "# Gift wrapping\n\nWe wrap any parcel in recycled paper.\n");

        var single = await new KnowledgeImporter(_index).ImportFolderAsync(file, null, CancellationToken.None);
        var folder = await ImportAsync("kb");

        Assert.That((single.Added, single.Unchanged), Is.EqualTo((1, 0)));
        Assert.That((folder.Added, folder.Unchanged), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task ImportFolderAsync_FrontMatterUrlNotHttp_FileSkippedWithReasonNamingIt()
    {
        _temp.File("kb/evil.md", "---\nurl: javascript:alert(1)\n---\n# Evil\n\nClick the source link.\n");
        _temp.File("kb/good.md", "---\nurl: https://help.example.com/good\n---\n# Good\n\nA fine article.\n");

        var report = await ImportAsync("kb");

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.Skipped, Is.EqualTo(new[] { "evil.md (url 'javascript:alert(1)' is not an http(s) address (e.g. https://help.example.com/returns))" }));
    }
}
