using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary><c>kb import</c>: which file is which article across folders, and which files are skipped and why.</summary>
public class KnowledgeImporterTests
{
    private TempDirectory _temp = null!;
    private SqliteDatabase _database = null!;
    private KnowledgeIndex _index = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _database = new SqliteDatabase(Options.Create(new SidecarOptions { DataDir = Path.Combine(_temp.Path, "data") }));
        _index = new KnowledgeIndex(_database, TimeProvider.System);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
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
}
