using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Qdrant;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>Qdrant's sparse vectors rank like the embedded BM25: the same stems and pairs, the same field weights.</summary>
[TestFixture]
public sealed class SparseTermsTests
{
    [Test]
    public void ForDocument_ChangeOfAddress_HoldsStemsAndTheirPairButNoStopWords()
    {
        var vector = SparseTerms.ForDocument("Moving house", "Moving house › Forms", "Send the change of address form to us.");

        Assert.Multiple(() =>
        {
            Assert.That(vector.Indices, Does.Contain(SparseTerms.Index("chang address")), "pairs skip stop words");
            Assert.That(vector.Indices, Does.Contain(SparseTerms.Index("chang")).And.Contain(SparseTerms.Index("address")).And.Contain(SparseTerms.Index("move")));
            Assert.That(vector.Indices, Does.Not.Contain(SparseTerms.Index("of")).And.Not.Contain(SparseTerms.Index("the")).And.Not.Contain(SparseTerms.Index("us")));
            Assert.That(vector.Indices, Does.Not.Contain(SparseTerms.Index("moving")), "Porter stems, not the raw words");
            Assert.That(vector.Indices, Is.Ordered.And.Unique);
        });
    }

    [Test]
    public void ForDocument_WordOnceInEachField_TitleWeighsMoreThanHeadingMoreThanBody()
    {
        var vector = SparseTerms.ForDocument("Refunds", "Payments", "Parcels ship daily.");
        float Value(string term) => vector.Values[Array.IndexOf(vector.Indices, SparseTerms.Index(term))];

        Assert.That(Value("refund"), Is.GreaterThan(Value("payment")));
        Assert.That(Value("payment"), Is.GreaterThan(Value("parcel")));
    }

    [Test]
    public async Task RetrieveAsync_QueryWordsAdjacentInOneArticleScatteredInAnother_RanksThePairArticleFirst()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        // The same words, and a shorter text for the scattered one: on words alone it wins by length (it did before pairs).
        await bed.AddAsync("doc-a", "You can change your address online in the portal.");
        await bed.AddAsync("doc-b", "The address online portal lets you change a password.");

        var passages = await bed.Index.RetrieveAsync(new RetrievalRequest("change of address", 2) { Mode = RetrievalMode.Lexical }, CancellationToken.None);

        Assert.That(passages.Select(p => p.Hit.Title), Is.EqualTo(new[] { "doc-a", "doc-b" }));
        Assert.That(passages[0].Reason, Does.Contain("in Qdrant"));
    }

    [Test]
    public async Task RetrieveAsync_Query_SendsWordsAtWeightOneAndPairsAtPairWeight()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("doc-a", "You can change your address online in the portal.");

        await bed.Index.RetrieveAsync(new RetrievalRequest("change of address", 2), CancellationToken.None);

        var query = JsonNode.Parse(bed.Fake.RequestsTo("POST", "/collections/kb_test/points/query").Last().Body!)!;
        var sparse = query["prefetch"]!.AsArray().Single(p => (string?)p!["using"] == "sparse")!["query"]!;
        var values = sparse["indices"]!.AsArray().Select(i => (uint)i!).Zip(sparse["values"]!.AsArray().Select(v => (float)v!)).ToDictionary(p => p.First, p => p.Second);
        Assert.That(values, Is.EquivalentTo(new Dictionary<uint, float>
        {
            [SparseTerms.Index("chang")] = 1f,
            [SparseTerms.Index("address")] = 1f,
            [SparseTerms.Index("chang address")] = KnowledgeIndex.PairWeight,
        }));
    }
}

/// <summary>Points written by an older sparse scheme are replaced: the scheme is kept in the collection's metadata.</summary>
[TestFixture]
public sealed class SparseSchemeTests
{
    private static async Task<QdrantTestBed> StartWithOlderSchemeAsync()
    {
        var bed = await QdrantTestBed.StartAsync(batchSize: 2);
        await bed.AddAsync("doc-a", "You can change your address online in the portal.");
        await bed.AddAsync("doc-b", "Parcels ship every weekday.", more: [new ArticleSection("doc-b › Abroad", "International parcels take a week.")]);
        return bed;
    }

    /// <summary>What the previous version left behind: no scheme in the metadata, and other sparse vectors (a stand-in for the old stems).</summary>
    private static void MakeOlderScheme(FakeCollection collection)
    {
        collection.Config.Remove("metadata");
        foreach (var point in collection.Points.Values)
            point.Vector["sparse"] = new JsonObject { ["indices"] = new JsonArray(7), ["values"] = new JsonArray(1.0) };
    }

    [Test]
    public async Task UpsertAsync_NewCollection_RecordsTheCurrentScheme()
    {
        await using var bed = await StartWithOlderSchemeAsync();

        Assert.That((int?)bed.Fake.Collections["kb_test"].Config["metadata"]?[QdrantVectorIndex.SparseSchemeKey], Is.EqualTo(SparseTerms.Scheme));
        Assert.That(bed.Fake.RequestsTo("PATCH", "/collections/kb_test"), Is.Empty, "a new collection needs no second push");
    }

    [Test]
    public async Task RetrieveAsync_CollectionOfOlderScheme_PushesEveryChunkAgainOnceAndRecordsTheScheme()
    {
        await using var bed = await StartWithOlderSchemeAsync();
        var collection = bed.Fake.Collections["kb_test"];
        var current = collection.Points.ToDictionary(p => p.Key, p => p.Value.Vector["sparse"]!.ToJsonString());
        MakeOlderScheme(collection);
        var upsertsBefore = bed.Fake.RequestsTo("PUT", "/collections/kb_test/points").Count;
        var request = new RetrievalRequest("change of address", 2) { Mode = RetrievalMode.Lexical };

        var restarted = bed.Reopen();
        var passages = await restarted.RetrieveAsync(request, CancellationToken.None);
        await restarted.RetrieveAsync(request, CancellationToken.None);
        await bed.Reopen().RetrieveAsync(request, CancellationToken.None);

        var (_, chunks) = await bed.Index.CountAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(collection.Points.ToDictionary(p => p.Key, p => p.Value.Vector["sparse"]!.ToJsonString()), Is.EquivalentTo(current));
            Assert.That((int?)collection.Config["metadata"]?[QdrantVectorIndex.SparseSchemeKey], Is.EqualTo(SparseTerms.Scheme));
            Assert.That(bed.Fake.RequestsTo("PUT", "/collections/kb_test/points").Count - upsertsBefore, Is.EqualTo((int)Math.Ceiling(chunks / 2.0)),
                "one full push, not one per query or per process");
            Assert.That(bed.Fake.RequestsTo("PATCH", "/collections/kb_test"), Has.Count.EqualTo(1));
            Assert.That(passages.Select(p => p.Hit.Title).FirstOrDefault(), Is.EqualTo("doc-a"), "the first query already ranks on the new vectors");
        });
    }

    [Test]
    public async Task RefitEmbeddingsAsync_CollectionOfOlderScheme_OnePushReplacesEveryPointAndRecordsTheScheme()
    {
        await using var bed = await StartWithOlderSchemeAsync();
        var collection = bed.Fake.Collections["kb_test"];
        MakeOlderScheme(collection);
        var upsertsBefore = bed.Fake.RequestsTo("PUT", "/collections/kb_test/points").Count;

        var refitted = await bed.Reopen().RefitEmbeddingsAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(collection.Points.Values.Select(p => p.Vector["sparse"]!["indices"]!.AsArray().Count), Has.All.GreaterThan(1));
            Assert.That((int?)collection.Config["metadata"]?[QdrantVectorIndex.SparseSchemeKey], Is.EqualTo(SparseTerms.Scheme));
            Assert.That(bed.Fake.RequestsTo("PUT", "/collections/kb_test/points").Count - upsertsBefore, Is.EqualTo((int)Math.Ceiling(refitted / 2.0)), "the refit's push is the only one");
        });
    }
}
