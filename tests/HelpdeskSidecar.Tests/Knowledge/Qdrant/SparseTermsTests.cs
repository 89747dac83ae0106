using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Qdrant;
using HelpdeskSidecar.Tests.TestSupport;
using Qdrant.Client.Grpc;

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

        var query = bed.Fake.RequestsTo<QueryPoints>("Points/Query")[^1];
        var sparse = query.Prefetch.Single(p => p.Using == "sparse").Query.Nearest.Sparse;
        var values = sparse.Indices.Zip(sparse.Values).ToDictionary(p => p.First, p => p.Second);
        Assert.That(values, Is.EquivalentTo(new Dictionary<uint, float>
        {
            [SparseTerms.Index("chang")] = 1f,
            [SparseTerms.Index("address")] = 1f,
            [SparseTerms.Index("chang address")] = KnowledgeIndex.PairWeight,
        }));
    }
}

/// <summary>Points written by an older sparse scheme are replaced: the scheme is kept in the collection's metadata (gRPC CreateCollection/UpdateCollection/CollectionConfig metadata).</summary>
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
        collection.Metadata.Clear();
        foreach (var point in collection.Points.Values)
            point.Sparse["sparse"] = ([7], [1f]);
    }

    private static Dictionary<ulong, string> SparseVectors(FakeCollection collection) =>
        collection.Points.ToDictionary(p => p.Key, p => $"{string.Join(",", p.Value.Sparse["sparse"].Indices)}|{string.Join(",", p.Value.Sparse["sparse"].Values)}");

    [Test]
    public async Task UpsertAsync_NewCollection_RecordsTheCurrentScheme()
    {
        await using var bed = await StartWithOlderSchemeAsync();

        Assert.That(bed.Collection.Metadata[QdrantVectorIndex.SparseSchemeKey].IntegerValue, Is.EqualTo(SparseTerms.Scheme));
        Assert.That(bed.Fake.RequestsTo<UpdateCollection>("Collections/Update"), Is.Empty, "a new collection needs no second push");
    }

    [Test]
    public async Task RetrieveAsync_CollectionOfOlderScheme_PushesEveryChunkAgainOnceAndRecordsTheScheme()
    {
        await using var bed = await StartWithOlderSchemeAsync();
        var collection = bed.Collection;
        var current = SparseVectors(collection);
        MakeOlderScheme(collection);
        var upsertsBefore = bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert").Count;
        var request = new RetrievalRequest("change of address", 2) { Mode = RetrievalMode.Lexical };

        var restarted = bed.Reopen();
        var passages = await restarted.RetrieveAsync(request, CancellationToken.None);
        await restarted.RetrieveAsync(request, CancellationToken.None);
        await bed.Reopen().RetrieveAsync(request, CancellationToken.None);

        var (_, chunks) = await bed.Index.CountAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(SparseVectors(collection), Is.EquivalentTo(current));
            Assert.That(collection.Metadata[QdrantVectorIndex.SparseSchemeKey].IntegerValue, Is.EqualTo(SparseTerms.Scheme));
            Assert.That(bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert").Count - upsertsBefore, Is.EqualTo((int)Math.Ceiling(chunks / 2.0)),
                "one full push, not one per query or per process");
            Assert.That(bed.Fake.RequestsTo<UpdateCollection>("Collections/Update").Select(u => u.Metadata[QdrantVectorIndex.SparseSchemeKey].IntegerValue), Is.EqualTo(new long[] { SparseTerms.Scheme }));
            Assert.That(passages.Select(p => p.Hit.Title).FirstOrDefault(), Is.EqualTo("doc-a"), "the first query already ranks on the new vectors");
        });
    }

    [Test]
    public async Task RefitEmbeddingsAsync_CollectionOfOlderScheme_OnePushReplacesEveryPointAndRecordsTheScheme()
    {
        await using var bed = await StartWithOlderSchemeAsync();
        var collection = bed.Collection;
        MakeOlderScheme(collection);
        var upsertsBefore = bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert").Count;

        var refitted = await bed.Reopen().RefitEmbeddingsAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(collection.Points.Values.Select(p => p.Sparse["sparse"].Indices.Length), Has.All.GreaterThan(1));
            Assert.That(collection.Metadata[QdrantVectorIndex.SparseSchemeKey].IntegerValue, Is.EqualTo(SparseTerms.Scheme));
            Assert.That(bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert").Count - upsertsBefore, Is.EqualTo((int)Math.Ceiling(refitted / 2.0)), "the refit's push is the only one");
        });
    }
}
