using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary>Policy-filtered hybrid retrieval on a real SQLite file of the test's own.</summary>
public class RetrievalTests
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

    private Task Add(string id, string text, KnowledgeTier tier = KnowledgeTier.Article, string locale = "en", string? brand = null,
        KnowledgeVisibility visibility = KnowledgeVisibility.Public) =>
        _index.UpsertAsync(new KnowledgeArticle("files", id, id, $"https://help.example/{id}", [new ArticleSection(id, text)])
        {
            Tier = tier, Locale = locale, Brand = brand, Visibility = visibility,
        }, CancellationToken.None);

    private Task<IReadOnlyList<RetrievedPassage>> Retrieve(string query, int k, RetrievalScope? scope = null, RetrievalMode mode = RetrievalMode.Hybrid) =>
        _index.RetrieveAsync(new RetrievalRequest(query, k) { Scope = scope ?? new RetrievalScope(), Mode = mode }, CancellationToken.None);

    [Test]
    public async Task RetrieveAsync_ManyBetterMatchesOutsideScope_StillReturnsKAllowedChunks()
    {
        // Twenty agents-only chunks match "refund" strongly; three public ones match it once among other words.
        for (var i = 0; i < 20; i++)
            await Add($"internal-{i}", "Refund refund refund: the refund override code for supervisors.", visibility: KnowledgeVisibility.Agents);
        for (var i = 0; i < 3; i++)
            await Add($"public-{i}", $"Shipping and returns, part {i}. A refund reaches your card within five days of the return.");
        await _index.RefitEmbeddingsAsync(CancellationToken.None);

        var passages = await Retrieve("refund", 3);

        Assert.That(passages, Has.Count.EqualTo(3));
        Assert.That(passages.Select(p => p.Visibility), Is.All.EqualTo(KnowledgeVisibility.Public));
        Assert.That(passages.Select(p => p.Hit.Title), Is.EquivalentTo(new[] { "public-0", "public-1", "public-2" }));
    }

    [Test]
    public async Task RetrieveAsync_AgentsVisibility_SeesAgentsOnlyChunks()
    {
        await Add("override", "The refund override code is kept in the vault.", visibility: KnowledgeVisibility.Agents);
        await Add("policy", "A refund reaches your card within five days.");

        var passages = await Retrieve("refund override code", 2, new RetrievalScope { Visibility = KnowledgeVisibility.Agents });

        Assert.That(passages[0].Hit.Title, Is.EqualTo("override"));
        Assert.That(passages[0].Visibility, Is.EqualTo(KnowledgeVisibility.Agents));
    }

    [Test]
    public async Task RetrieveAsync_TierNotAllowed_NeverReturned()
    {
        await Add("faq", "How long does a refund take? Five days.", KnowledgeTier.Faq);
        await Add("ticket", "Customer asked how long a refund takes; we said five days.", KnowledgeTier.PastTicket);

        var passages = await Retrieve("refund days", 5, new RetrievalScope { Tiers = [KnowledgeTier.Faq] });

        Assert.That(passages.Select(p => p.Hit.Title), Is.EqualTo(new[] { "faq" }));
        Assert.That(passages[0].Tier, Is.EqualTo(KnowledgeTier.Faq));
    }

    [Test]
    public async Task RetrieveAsync_Brand_SeesOwnAndUnbrandedButNotOtherBrands()
    {
        await Add("acme", "Acme warranty lasts two years.", brand: "acme");
        await Add("globex", "Globex warranty lasts one year.", brand: "globex");
        await Add("shared", "Every warranty claim needs the receipt.");

        var forAcme = await Retrieve("warranty", 5, new RetrievalScope { Brand = "acme" });
        var unbranded = await Retrieve("warranty", 5);

        Assert.That(forAcme.Select(p => p.Hit.Title), Is.EquivalentTo(new[] { "acme", "shared" }));
        Assert.That(unbranded.Select(p => p.Hit.Title), Is.EqualTo(new[] { "shared" }));
    }

    [Test]
    public async Task RetrieveAsync_BrandByIdAndName_SeesArticlesNamingEitherButNotOtherBrands()
    {
        await Add("by-id", "Acme warranty lasts two years.", brand: "360002256672");
        await Add("by-name", "Acme warranty claims need the serial number.", brand: "Acme");
        await Add("globex", "Globex warranty lasts one year.", brand: "globex");
        await Add("shared", "Every warranty claim needs the receipt.");

        var forTicket = await Retrieve("warranty", 5, new RetrievalScope { Brand = "360002256672", BrandName = "Acme" });
        var idOnly = await Retrieve("warranty", 5, new RetrievalScope { Brand = "360002256672" });

        Assert.That(forTicket.Select(p => p.Hit.Title), Is.EquivalentTo(new[] { "by-id", "by-name", "shared" }));
        Assert.That(idOnly.Select(p => p.Hit.Title), Is.EquivalentTo(new[] { "by-id", "shared" }));
    }

    [Test]
    public async Task RetrieveAsync_TooFewInLocale_FillsFromFallbackLocaleAfterwards()
    {
        await Add("de-rueckgabe", "Rückgabe und refund innerhalb von 30 Tagen.", locale: "de");
        await Add("en-refund", "A refund reaches your card within five days.", locale: "en");
        await Add("fr-refund", "Le refund arrive sous cinq jours.", locale: "fr");

        var passages = await Retrieve("refund", 5, new RetrievalScope { Locale = "de-CH", DefaultLocale = "en" });

        Assert.That(passages.Select(p => p.Hit.Title), Is.EqualTo(new[] { "de-rueckgabe", "en-refund" }));
        Assert.That(passages[0].Reason, Does.EndWith("(fallback locale de)"), "nothing is in de-CH itself");
        Assert.That(passages[1].Reason, Does.EndWith("(fallback locale en)"));
    }

    [Test]
    public async Task RetrieveAsync_BothRetrieversAgree_ReasonNamesKeywordsAndMeaning()
    {
        await Add("refunds", "A refund reaches your card within five days.");
        await Add("hours", "We are open on weekdays from nine to five.");
        await _index.RefitEmbeddingsAsync(CancellationToken.None);

        var passages = await Retrieve("refund card", 2);

        Assert.That(passages[0].Hit.Title, Is.EqualTo("refunds"));
        Assert.That(passages[0].LexicalRank, Is.EqualTo(1));
        Assert.That(passages[0].DenseRank, Is.EqualTo(1));
        Assert.That(passages[0].Reason, Does.Contain("keywords #1 (refund, card)").And.Contain("meaning #1"));
        Assert.That(passages[0].FusedScore, Is.GreaterThan(passages.Count > 1 ? passages[1].FusedScore : 0));
    }

    [Test]
    public async Task RetrieveAsync_DenseOnly_FindsSpellingVariantBm25Misses()
    {
        await Add("licences", "Renewing a driving licence: book an appointment at any office.");
        await Add("parking", "Parking permits are issued by the city.");
        await _index.RefitEmbeddingsAsync(CancellationToken.None);

        var lexical = await Retrieve("license", 2, mode: RetrievalMode.Lexical);
        var dense = await Retrieve("license", 2, mode: RetrievalMode.Dense);

        Assert.That(lexical, Is.Empty, "BM25 (porter) does not fold license onto licence");
        Assert.That(dense[0].Hit.Title, Is.EqualTo("licences"));
        Assert.That(dense[0].DenseScore, Is.GreaterThan(dense.Count > 1 ? dense[1].DenseScore ?? 0 : 0));
        Assert.That(dense[0].LexicalRank, Is.Null);
    }

    [Test]
    public async Task RetrieveAsync_ArticleReplaced_OldChunksGoneFromDenseSearch()
    {
        await Add("moving", "Tell us about your new address within ten days.");
        await _index.RetrieveAsync(new RetrievalRequest("address", 1), CancellationToken.None); // builds the in-memory vectors
        await Add("moving", "Change of name: bring your marriage certificate.");

        var passages = await Retrieve("address", 5, mode: RetrievalMode.Dense);

        Assert.That(passages.Select(p => p.Hit.Text), Has.None.Contains("address"));
    }

    [Test]
    public async Task UpsertAsync_MetadataChanged_ArticleReindexed()
    {
        await Add("faq", "How long does a refund take? Five days.");

        await Add("faq", "How long does a refund take? Five days.", visibility: KnowledgeVisibility.Agents);

        Assert.That(await Retrieve("refund", 5), Is.Empty);
        Assert.That(await Retrieve("refund", 5, new RetrievalScope { Visibility = KnowledgeVisibility.Agents }), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UpsertAsync_TextCarriesSidecarNoteMarker_RefusedAndNotSearchable()
    {
        var note = "Suggested reply: a refund takes five days.\n\n" + HelpdeskSidecar.Suggestions.NoteMarker.For("0190abc");

        var outcome = await _index.UpsertAsync(new KnowledgeArticle("files", "note", "Ticket 42", null, [new ArticleSection("Ticket 42", note)])
        {
            Tier = KnowledgeTier.PastTicket,
        }, CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(UpsertOutcome.Refused));
        Assert.That(await _index.CountAsync(CancellationToken.None), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task ImportFolderAsync_ChunkWithoutVector_GetsOneAndIsFoundByDenseSearch()
    {
        await Add("licences", "Renewing a driving licence: book an appointment at any office.");
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_temp.DataDir, "sidecar.db") }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE chunks SET embedding = NULL"; // as left by a database from before schema step 2
            await command.ExecuteNonQueryAsync();
        }
        Assert.That(await _index.HasChunksWithoutVectorsAsync(CancellationToken.None), Is.True);
        var emptyFolder = Directory.CreateDirectory(Path.Combine(_temp.Path, "empty")).FullName;

        await new KnowledgeImporter(_index).ImportFolderAsync(emptyFolder, null, CancellationToken.None);

        Assert.That(await _index.HasChunksWithoutVectorsAsync(CancellationToken.None), Is.False);
        Assert.That((await Retrieve("license", 1, mode: RetrievalMode.Dense)).Select(p => p.Hit.Title), Is.EqualTo(new[] { "licences" }));
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_temp.DataDir, "sidecar.db") }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task RetrieveAsync_LargeIndexAfterWrite_AnsweredFromPreviousSnapshotUntilBackgroundRebuildLands()
    {
        var database = _temp.Database();
        var index = new KnowledgeIndex(database, TimeProvider.System) { RebuildInBackgroundAbove = 0 }; // every index counts as large
        await index.UpsertAsync(new KnowledgeArticle("files", "refunds", "Refunds", null, [new ArticleSection("Refunds", "A refund reaches your card within five days.")]), CancellationToken.None);
        await index.RetrieveAsync(new RetrievalRequest("refund", 5), CancellationToken.None); // builds the snapshot

        await index.UpsertAsync(new KnowledgeArticle("files", "parcels", "Parcels", null, [new ArticleSection("Parcels", "A refund for a lost parcel is paid by the carrier.")]), CancellationToken.None);
        var stale = await index.RetrieveAsync(new RetrievalRequest("refund parcel", 5), CancellationToken.None);
        await index.BackgroundRebuild.WaitAsync(TimeSpan.FromSeconds(30));
        var fresh = await index.RetrieveAsync(new RetrievalRequest("refund parcel", 5), CancellationToken.None);

        Assert.That(stale.Select(p => p.Hit.Title), Is.EqualTo(new[] { "Refunds" }), "the write did not make the query wait for a rebuild");
        Assert.That(fresh.Select(p => p.Hit.Title).First(), Is.EqualTo("Parcels"));
    }

    [Test]
    public async Task RetrieveAsync_StoredPolicyNoLongerAllowsChunk_NotReturnedWhateverTheSnapshotSays()
    {
        await Add("override", "The refund override code is kept in the vault.");
        Assert.That(await Retrieve("refund override", 5), Has.Count.EqualTo(1));
        await SqlAsync("UPDATE chunks SET visibility = 'agents'"); // behind the snapshot's back

        Assert.That(await Retrieve("refund override", 5), Is.Empty);
        Assert.That(await Retrieve("refund override", 5, new RetrievalScope { Visibility = KnowledgeVisibility.Agents }), Has.Count.EqualTo(1));
    }

    [Test]
    public void LocaleChain_RegionalLocale_FallsBackToLanguageThenDefault()
    {
        Assert.That(new RetrievalScope { Locale = "pt-BR", DefaultLocale = "en" }.LocaleChain(), Is.EqualTo(new[] { "pt-BR", "pt", "en" }));
        Assert.That(new RetrievalScope { Locale = "en", DefaultLocale = "en" }.LocaleChain(), Is.EqualTo(new[] { "en" }));
    }
}
