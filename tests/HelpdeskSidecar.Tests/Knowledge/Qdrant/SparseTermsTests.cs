using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>Qdrant's sparse vectors rank like the embedded BM25: the same stems and pairs, the same field weights.</summary>
[TestFixture]
public sealed class SparseTermsTests
{
    [Test]
    public async Task RetrieveAsync_QueryWordsAdjacentInOneArticleScatteredInAnother_RanksThePairArticleFirst()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        // Same words and a shorter text for the scattered one: with words alone it would win on length.
        await bed.AddAsync("doc-a", "You can change your address online in the portal.");
        await bed.AddAsync("doc-b", "The address online portal lets you change a password.");

        var passages = await bed.Index.RetrieveAsync(new RetrievalRequest("change of address", 2) { Mode = RetrievalMode.Lexical }, CancellationToken.None);

        Assert.That(passages.Select(p => p.Hit.Title), Is.EqualTo(new[] { "doc-a", "doc-b" }));
        Assert.That(passages[0].Reason, Does.Contain("in Qdrant"));
    }
}
