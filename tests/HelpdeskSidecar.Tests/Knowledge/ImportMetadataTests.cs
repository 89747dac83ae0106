using Dapper;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary>Tier, locale, brand, visibility, URL and updated time of imported files: front matter over <c>kb import</c>'s defaults.</summary>
[NonParallelizable] // one test redirects Console through the CLI
public class ImportMetadataTests
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

    private async Task<List<(string Title, string Tier, string Locale, string? Brand, string Visibility, string? Url, string? UpdatedAt, string Hash)>> ChunksAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<(string, string, string, string?, string, string?, string?, string)>(
            "SELECT a.title, c.tier, c.locale, c.brand, c.visibility, c.url, c.updated_at, c.content_hash FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY a.title")).ToList();
    }

    [Test]
    public void Parse_MarkdownFrontMatter_FieldsAppliedAndNotPartOfTheText()
    {
        const string markdown = "---\ntitle: Devoluciones\ntier: faq\nlocale: es\nbrand: acme\nvisibility: agents\nurl: https://help.acme.example/es/devoluciones\nupdated: 2026-10-01T08:00:00Z\n---\n# Ignored heading title\n\nEl reembolso llega en cinco días.\n";

        var article = DocumentParser.Parse("files", "es/devoluciones.md", "devoluciones.md", markdown);

        Assert.Multiple(() =>
        {
            Assert.That(article.Title, Is.EqualTo("Devoluciones"));
            Assert.That(article.Tier, Is.EqualTo(KnowledgeTier.Faq));
            Assert.That(article.Locale, Is.EqualTo("es"));
            Assert.That(article.Brand, Is.EqualTo("acme"));
            Assert.That(article.Visibility, Is.EqualTo(KnowledgeVisibility.Agents));
            Assert.That(article.Url, Is.EqualTo("https://help.acme.example/es/devoluciones"));
            Assert.That(article.SourceUpdatedAt, Is.EqualTo(new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero)));
            Assert.That(string.Join("\n", article.Sections.Select(s => s.Text)), Does.Contain("reembolso").And.Not.Contain("tier"));
        });
    }

    [TestCase("javascript:alert(1)")]
    [TestCase("JavaScript:alert(1)")]
    [TestCase("data:text/html,hi")]
    [TestCase("ftp://files.example.com/returns")]
    [TestCase("/es/devoluciones")]
    public void Parse_FrontMatterUrlNotHttp_ThrowsNamingTheUrl(string url)
    {
        var markdown = $"---\nurl: {url}\n---\n# Returns\n\nReturn any item within thirty days.\n";

        Assert.That(() => DocumentParser.Parse("files", "returns.md", "returns.md", markdown),
            Throws.TypeOf<FormatException>().With.Message.Contains($"url '{url}' is not an http(s) address"));
    }

    [TestCase("https://help.acme.example/es/devoluciones")]
    [TestCase("HTTP://help.acme.example/returns")]
    public void Parse_FrontMatterHttpUrl_Kept(string url)
    {
        var article = DocumentParser.Parse("files", "returns.md", "returns.md", $"---\nurl: {url}\n---\n# Returns\n\nReturn any item.\n");

        Assert.That(article.Url, Is.EqualTo(url));
    }

    [Test]
    public void Parse_HorizontalRuleLaterInDocument_NotReadAsFrontMatter()
    {
        var article = DocumentParser.Parse("files", "a.md", "a.md", "# Help\n\ntier: internal\n\n---\n\nMore text.\n");

        Assert.That(article.Tier, Is.EqualTo(KnowledgeTier.Article));
        Assert.That(string.Join("\n", article.Sections.Select(s => s.Text)), Does.Contain("tier: internal"));
    }

    [Test]
    public async Task ImportFolderAsync_DefaultsAndFrontMatter_FrontMatterWinsPerFieldAndEveryChunkCarriesTheFields()
    {
        _temp.File("kb/overridden.md", "---\ntier: faq\nlocale: es\n---\n# Reembolsos\n\nEl reembolso llega en cinco días.\n");
        _temp.File("kb/plain.md", "# Refunds\n\nA refund reaches your card within five days.\n");
        var plainTime = new DateTime(2026, 9, 30, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(_temp.Path, "kb", "plain.md"), plainTime);
        var defaults = new ArticleMetadata { Tier = KnowledgeTier.Internal, Locale = "de", Brand = "acme", Visibility = KnowledgeVisibility.Agents };

        var report = await new KnowledgeImporter(_index).ImportFolderAsync(Path.Combine(_temp.Path, "kb"), null, CancellationToken.None, defaults);

        Assert.That(report.Added, Is.EqualTo(2));
        var chunks = await ChunksAsync();
        var overridden = chunks.Single(c => c.Title == "Reembolsos");
        var plain = chunks.Single(c => c.Title == "Refunds");
        Assert.Multiple(() =>
        {
            Assert.That((overridden.Tier, overridden.Locale, overridden.Brand, overridden.Visibility), Is.EqualTo(("faq", "es", (string?)"acme", "agents")));
            Assert.That((plain.Tier, plain.Locale, plain.Brand, plain.Visibility), Is.EqualTo(("internal", "de", (string?)"acme", "agents")));
            Assert.That(DateTimeOffset.Parse(plain.UpdatedAt!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(new DateTimeOffset(plainTime)));
            Assert.That(chunks.Select(c => c.Hash), Has.All.Length.EqualTo(64));
        });
        var scope = new RetrievalScope { Locale = "es", DefaultLocale = "es", Brand = "acme", Visibility = KnowledgeVisibility.Agents, Tiers = [KnowledgeTier.Faq] };
        var found = await _index.RetrieveAsync(new RetrievalRequest("reembolso", 5) { Scope = scope }, CancellationToken.None);
        Assert.That(found.Select(p => p.Hit.Title), Is.EqualTo(new[] { "Reembolsos" }));
    }

    [Test]
    public async Task ImportFolderAsync_InvalidFrontMatterValue_FileSkippedWithReasonOthersImported()
    {
        _temp.File("kb/bad.md", "---\ntier: gossip\n---\n# Bad\n\nText.\n");
        _temp.File("kb/good.md", "# Good\n\nText.\n");

        var report = await new KnowledgeImporter(_index).ImportFolderAsync(Path.Combine(_temp.Path, "kb"), null, CancellationToken.None);

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.Skipped, Is.EqualTo(new[] { "bad.md (tier 'gossip' is not one of faq, article, past_ticket, internal)" }));
    }

    [Test]
    public async Task ImportFolderAsync_FileQuotingASidecarNote_NeverIndexed()
    {
        _temp.File("kb/pasted.md", "# Pasted ticket\n\nSuggested reply: refunds take five days.\n\n" + HelpdeskSidecar.Suggestions.NoteMarker.For("0190abc") + "\n");
        _temp.File("kb/real.md", "# Refunds\n\nRefunds take five days.\n");

        var report = await new KnowledgeImporter(_index).ImportFolderAsync(Path.Combine(_temp.Path, "kb"), null, CancellationToken.None);

        Assert.That(report.Skipped, Has.Count.EqualTo(1).And.Some.StartsWith("pasted.md (AI-written"));
        Assert.That((await _index.CountAsync(CancellationToken.None)).Articles, Is.EqualTo(1));
        var found = await _index.RetrieveAsync(new RetrievalRequest("suggested reply refunds", 5), CancellationToken.None);
        Assert.That(found.Select(p => p.Hit.Title), Is.EqualTo(new[] { "Refunds" }));
    }

    [Test]
    public void ImportFolderAsync_SameContentNewerFileTime_Unchanged()
    {
        _temp.File("kb/a.md", "# Alpha\n\nText.\n");
        var importer = new KnowledgeImporter(_index);
        Assert.That(async () => (await importer.ImportFolderAsync(Path.Combine(_temp.Path, "kb"), null, CancellationToken.None)).Added, Is.EqualTo(1));
        File.SetLastWriteTimeUtc(Path.Combine(_temp.Path, "kb", "a.md"), File.GetLastWriteTimeUtc(Path.Combine(_temp.Path, "kb", "a.md")).AddHours(1));

        Assert.That(async () => (await importer.ImportFolderAsync(Path.Combine(_temp.Path, "kb"), null, CancellationToken.None)).Unchanged, Is.EqualTo(1),
            "the content hash decides; touching a file does not re-index it");
    }

    [Test]
    public async Task KbImportCli_DefaultOptions_AppliedAndBadValueExits2()
    {
        _temp.File("kb/a.md", "# Alpha\n\nSome text about alpha.\n");
        var dataDir = Path.Combine(_temp.Path, "cli-data");

        var ok = await CliRunner.RunAsync("kb", "import", Path.Combine(_temp.Path, "kb"), "--tier", "faq", "--locale", "fr", "--brand", "globex", "--visibility", "agents", $"--Sidecar:DataDir={dataDir}");
        var bad = await CliRunner.RunAsync("kb", "import", Path.Combine(_temp.Path, "kb"), "--visibility", "everyone", $"--Sidecar:DataDir={dataDir}");

        Assert.That(ok.Code, Is.EqualTo(SidecarCli.Ok), ok.Error);
        Assert.That(bad.Code, Is.EqualTo(SidecarCli.BadUsage));
        Assert.That(bad.Error, Does.Contain("visibility 'everyone' is not public or agents"));
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "sidecar.db")}");
        await connection.OpenAsync();
        var row = await connection.QuerySingleAsync<(string Tier, string Locale, string Brand, string Visibility)>("SELECT tier, locale, brand, visibility FROM chunks");
        Assert.That(row, Is.EqualTo(("faq", "fr", "globex", "agents")));
    }
}
