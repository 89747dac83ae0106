using System.Numerics.Tensors;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Tests.Knowledge.Embedded;

public class EmbeddedSearchIndexTests
{
    private static readonly ChunkPolicy English = new(KnowledgeTier.Article, "en", null, KnowledgeVisibility.Public);

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    [TestCase(512)]
    [TestCase(40)]
    [TestCase(7)]
    public void Dot_RandomCodes_EqualsScalarSum(int length)
    {
        var random = new Random(length);
        var codes = new sbyte[length];
        var query = new short[length];
        long expected = 0;
        for (var i = 0; i < length; i++)
        {
            codes[i] = (sbyte)random.Next(-127, 128);
            query[i] = (short)random.Next(-16383, 16384);
            expected += codes[i] * query[i];
        }

        Assert.That(EmbeddedSearchIndex.Dot(codes, query), Is.EqualTo(expected));
    }

    [Test]
    public void Dense_QuantizedScan_SameTopTenAsExactCosine()
    {
        var random = new Random(7);
        var vectors = Enumerable.Range(0, 2_000).Select(_ => RandomUnit(random, 512)).ToList();
        var index = new EmbeddedSearchIndex(vectors.Select((v, i) => new IndexedChunk(i + 1, i + 1, "t", "t", "x", English, v)).ToList(), pairs: false);
        var query = RandomUnit(random, 512);
        var exact = vectors.Select((v, i) => (Id: (long)(i + 1), Score: TensorPrimitives.Dot(v, query))).OrderByDescending(p => p.Score).Take(10).ToList();

        var found = index.Dense(query, index.Allowed(new RetrievalScope(), "en")!, 10);

        Assert.That(found.Select(f => f.ChunkId).Take(5), Is.EqualTo(exact.Select(e => e.Id).Take(5)));
        Assert.That(found.Select(f => f.ChunkId).Intersect(exact.Select(e => e.Id)).Count(), Is.GreaterThanOrEqualTo(9));
        Assert.That(found[0].Score, Is.EqualTo(exact[0].Score).Within(0.01));
    }

    [Test]
    public void Dense_TwoStageOnClusteredArticles_SameTopTenAsFullScanAndOnlyAllowedArticles()
    {
        // 600 articles of 5 chunks; each chunk is its article's direction plus noise, as the index blends them.
        var random = new Random(11);
        var chunks = new List<IndexedChunk>();
        for (var article = 1; article <= 600; article++)
        {
            var topic = RandomUnit(random, 64);
            var policy = article % 3 == 0 ? English with { Visibility = KnowledgeVisibility.Agents } : English;
            for (var c = 0; c < 5; c++)
            {
                var vector = RandomUnit(random, 64);
                TensorPrimitives.MultiplyAdd(topic, 3f, vector, vector);
                TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
                chunks.Add(new IndexedChunk(chunks.Count + 1, article, "t", "t", "x", policy, vector));
            }
        }
        var index = new EmbeddedSearchIndex(chunks, pairs: false, exactScanBelow: 0);
        var allowed = index.Allowed(new RetrievalScope(), "en")!;
        var query = chunks[1234].Vector!.ToArray();
        TensorPrimitives.MultiplyAdd(RandomUnit(random, 64), 0.5f, query, query);
        TensorPrimitives.Divide(query, TensorPrimitives.Norm(query), query);

        var exact = index.Dense(query, allowed, 10, exact: true);
        var twoStage = index.Dense(query, allowed, 10);

        Assert.That(twoStage.Select(h => h.ChunkId), Is.EqualTo(exact.Select(h => h.ChunkId)));
        Assert.That(twoStage.Select(h => index.ArticleOfChunk(h.ChunkId)!.Value % 3), Has.None.EqualTo(0), "agents-only articles are filtered inside the search");
        Assert.That(twoStage, Has.Count.EqualTo(10));
    }

    [Test]
    public void Lexical_TitleMatch_OutranksBodyMatchAndUnmatchedChunksAreAbsent()
    {
        var index = new EmbeddedSearchIndex(
        [
            new IndexedChunk(1, 1, "Opening hours", "Opening hours", "We open at nine. Refunds are handled by the billing team.", English, null),
            new IndexedChunk(2, 2, "Refunds", "Refunds", "Money goes back to your card within five days.", English, null),
            new IndexedChunk(3, 3, "Shipping", "Shipping", "Parcels leave the warehouse daily.", English, null),
        ], pairs: false);

        var hits = index.Lexical([new WeightedTerm(PorterStemmer.Stem("refunding"), 1f)], index.Allowed(new RetrievalScope(), "en")!, 5);

        Assert.That(hits.Select(h => h.ChunkId), Is.EqualTo(new long[] { 2, 1 }));
    }

    [Test]
    public void Lexical_TermTwiceInChunkThreeTimesAsLong_OutranksSingleMentionInShortChunk()
    {
        // Lengths 10 and 30 tokens around an average of 20 (title and heading count one token each): with FTS5's
        // b = 0.75 the short chunk wins; with b = 0.6 length costs less and the second mention decides.
        static string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(i => "filler" + (char)('a' + i % 26)));
        var index = new EmbeddedSearchIndex(
        [
            new IndexedChunk(1, 1, "Short", "Short", "refund " + Words(7), English, null),
            new IndexedChunk(2, 2, "Long", "Long", "refund refund " + Words(26), English, null),
            new IndexedChunk(3, 3, "Other", "Other", Words(18), English, null),
            new IndexedChunk(4, 4, "Other", "Other", Words(18), English, null),
            new IndexedChunk(5, 5, "Other", "Other", Words(18), English, null),
        ], pairs: false);

        var hits = index.Lexical([new WeightedTerm("refund", 1f)], index.Allowed(new RetrievalScope(), "en")!, 5);

        Assert.That(hits.Select(h => h.ChunkId), Is.EqualTo(new long[] { 2, 1 }));
    }

    [Test]
    public void Lexical_RepeatedQueries_ScoresDoNotLeakBetweenQueries()
    {
        var chunks = Enumerable.Range(1, 50).Select(i => new IndexedChunk(i, i, $"a{i}", $"a{i}", i % 2 == 0 ? "refund card" : "refund", English, null)).ToList();
        var index = new EmbeddedSearchIndex(chunks, pairs: false);
        var allowed = index.Allowed(new RetrievalScope(), "en")!;

        var first = index.Lexical([new WeightedTerm("card", 1f)], allowed, 100);
        var again = index.Lexical([new WeightedTerm("card", 1f)], allowed, 100);

        Assert.That(first, Has.Count.EqualTo(25));
        Assert.That(again, Is.EqualTo(first));
    }

    [Test]
    public void Allowed_FilterInsideSearch_KAllowedRowsReturnedAlthoughBetterOnesAreHidden()
    {
        var agents = new ChunkPolicy(KnowledgeTier.Internal, "en", null, KnowledgeVisibility.Agents);
        var chunks = Enumerable.Range(1, 30).Select(i => new IndexedChunk(i, i, "Refund", "Refund", "refund refund refund", agents, null))
            .Concat(Enumerable.Range(31, 4).Select(i => new IndexedChunk(i, i, "Other", "Other", "a refund, among many other words here", English, null)))
            .ToList();
        var index = new EmbeddedSearchIndex(chunks, pairs: false);

        var hits = index.Lexical([new WeightedTerm("refund", 1f)], index.Allowed(new RetrievalScope(), "en")!, 3);

        Assert.That(hits.Select(h => h.ChunkId), Is.SubsetOf(new long[] { 31, 32, 33, 34 }));
        Assert.That(hits, Has.Count.EqualTo(3));
        Assert.That(index.Allowed(new RetrievalScope(), "fr"), Is.Null);
    }
}
