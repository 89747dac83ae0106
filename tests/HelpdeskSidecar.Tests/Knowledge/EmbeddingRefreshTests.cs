using Dapper;
using HelpdeskSidecar.Ai.Encoders;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Tests.Knowledge;

/// <summary>Stored chunk vectors with the real arctic-xs encoder: computed once per text, again only when the text or the encoder changes, resumable.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class EmbeddingRefreshTests(string provider)
{
    private TempDirectory _temp = null!;
    private Database _database = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _temp = new TempDirectory();
        var options = new HelpdeskSidecar.Configuration.SidecarOptions { DataDir = _temp.DataDir };
        if (provider == StorageProviders.Postgres)
            options.Storage = new HelpdeskSidecar.Configuration.StorageOptions { Provider = "Postgres", ConnectionString = await TestPostgres.CreateDatabaseAsync() };
        _database = provider == StorageProviders.Postgres ? new Database(Microsoft.Extensions.Options.Options.Create(options)) : _temp.Database();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        // Null when the set-up was skipped (no PostgreSQL on this machine).
        if (_database is not null)
            await _database.DisposeAsync();
        _temp?.Dispose();
    }

    /// <summary>Counts the texts that reach the real encoder, and can fail after a number of calls (a killed run).</summary>
    private sealed class CountingEmbedder(IEmbeddingGenerator<string, Embedding<float>> inner, int failAfterCalls = int.MaxValue)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public int Texts { get; private set; }

        public int Calls { get; private set; }

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (++Calls > failAfterCalls)
                throw new OperationCanceledException("killed");
            var list = values.ToList();
            Texts += list.Count;
            return base.GenerateAsync(list, options, cancellationToken);
        }
    }

    private static KnowledgeArticle Article(params (string Heading, string Text)[] sections) =>
        new("files", "billing.md", "Billing", null, [.. sections.Select(s => new ArticleSection(s.Heading, s.Text))]);

    private async Task<Dictionary<string, (byte[] Embedding, string? Model)>> StoredAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<(string Text, byte[] Embedding, string? Model)>("SELECT text, embedding, embedding_model FROM chunks"))
            .ToDictionary(r => r.Text, r => (r.Embedding, r.Model));
    }

    [Test]
    public async Task UpsertAsync_OneSectionChanged_OnlyThatChunkEmbeddedAgain()
    {
        var embedder = new CountingEmbedder(new SentenceEmbeddingGenerator(SentenceEncoderModel.ArcticXs));
        var index = new KnowledgeIndex(_database, TimeProvider.System, embedder);
        await index.UpsertAsync(Article(("Refunds", "Refunds reach your card within five business days."), ("Invoices", "Download invoices from the billing page.")), CancellationToken.None);
        var before = await StoredAsync();
        Assert.That(embedder.Texts, Is.EqualTo(2));

        var outcome = await index.UpsertAsync(Article(("Refunds", "Refunds reach your card within five business days."), ("Invoices", "Invoices are emailed on the first of each month.")), CancellationToken.None);

        var after = await StoredAsync();
        Assert.That(outcome, Is.EqualTo(UpsertOutcome.Updated));
        Assert.That(embedder.Texts, Is.EqualTo(3), "only the changed chunk is embedded again");
        Assert.That(after["Refunds reach your card within five business days."].Embedding, Is.EqualTo(before["Refunds reach your card within five business days."].Embedding));
        Assert.That(after["Invoices are emailed on the first of each month."].Model, Is.EqualTo("arctic-xs"));
        Assert.That(await index.HasChunksWithoutVectorsAsync(CancellationToken.None), Is.False);
    }

    [Test]
    public async Task RefitEmbeddingsAsync_EncoderSwitchedFromHashed_EveryChunkEmbeddedByTheNewOneAndSearched()
    {
        var hashed = new KnowledgeIndex(_database, TimeProvider.System, new OfflineEmbeddingGenerator());
        await hashed.UpsertAsync(Article(("Refunds", "Refunds reach your card within five business days."), ("Invoices", "Download invoices from the billing page.")), CancellationToken.None);
        await hashed.RefitEmbeddingsAsync(CancellationToken.None);

        var neural = new KnowledgeIndex(_database, TimeProvider.System, new SentenceEmbeddingGenerator(SentenceEncoderModel.ArcticXs));
        Assert.That(await neural.HasChunksWithoutVectorsAsync(CancellationToken.None), Is.True, "hashed vectors are stale for the encoder");
        await neural.RefitEmbeddingsAsync(CancellationToken.None);

        var stored = await StoredAsync();
        Assert.That(stored.Values.Select(v => v.Model), Is.All.EqualTo("arctic-xs"));
        Assert.That(stored.Values.Select(v => v.Embedding.Length), Is.All.EqualTo(384 * sizeof(float)));
        Assert.That(await neural.HasChunksWithoutVectorsAsync(CancellationToken.None), Is.False);
        var found = await neural.RetrieveAsync(new RetrievalRequest("when will I get my money back", 1) { Mode = RetrievalMode.Dense }, CancellationToken.None);
        Assert.That(found.Single().Hit.HeadingPath, Does.Contain("Refunds"));
    }

    [Test]
    public async Task RefitEmbeddingsAsync_RunKilledHalfWay_NextRunEmbedsOnlyWhatIsLeft()
    {
        var hashed = new KnowledgeIndex(_database, TimeProvider.System, new OfflineEmbeddingGenerator());
        var sections = Enumerable.Range(0, KnowledgeIndex.EmbedBatch + 10).Select(i => ($"Topic {i}", $"Paragraph number {i} explains one more billing rule in plain words.")).ToArray();
        await hashed.UpsertAsync(Article(sections), CancellationToken.None);
        var chunks = (await hashed.CountAsync(CancellationToken.None)).Chunks;
        Assume.That(chunks, Is.GreaterThan(KnowledgeIndex.EmbedBatch), "the article must span more than one batch");

        var encoder = new SentenceEmbeddingGenerator(SentenceEncoderModel.ArcticXs);
        var killed = new CountingEmbedder(encoder, failAfterCalls: 1);
        Assert.ThrowsAsync<OperationCanceledException>(() => new KnowledgeIndex(_database, TimeProvider.System, killed).RefitEmbeddingsAsync(CancellationToken.None));
        Assert.That((await StoredAsync()).Values.Count(v => v.Model == "arctic-xs"), Is.EqualTo(KnowledgeIndex.EmbedBatch), "the first batch was kept");

        var resumed = new CountingEmbedder(encoder);
        await new KnowledgeIndex(_database, TimeProvider.System, resumed).RefitEmbeddingsAsync(CancellationToken.None);

        Assert.That(resumed.Texts, Is.EqualTo(chunks - KnowledgeIndex.EmbedBatch));
        Assert.That((await StoredAsync()).Values.Select(v => v.Model), Is.All.EqualTo("arctic-xs"));
    }
}
