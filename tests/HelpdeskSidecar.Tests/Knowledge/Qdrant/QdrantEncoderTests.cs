using System.Numerics.Tensors;
using HelpdeskSidecar.Ai.Encoders;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>Qdrant gets the sentence encoder's vectors as its dense vector, in a collection sized by the encoder.</summary>
public class QdrantEncoderTests
{
    [Test]
    public async Task UpsertAsync_WithArcticXs_CollectionSizedByTheEncoderAndPointsCarryItsVectors()
    {
        await using var bed = await QdrantTestBed.StartAsync(embedder: new SentenceEmbeddingGenerator(SentenceEncoderModel.ArcticXs));

        await bed.AddAsync("refunds", "Refunds reach your card within five business days.",
            more: new ArticleSection("Invoices", "Download invoices from the billing page."));
        await bed.AddAsync("shipping", "Parcels to Canada travel by ground freight and take two weeks.");

        Assert.That(bed.Collection.DenseVectors.Values.Single().Size, Is.EqualTo(384UL));
        Assert.That(bed.Collection.Points, Has.Count.EqualTo(3));
        foreach (var point in bed.Collection.Points.Values)
        {
            var dense = point.Dense.Values.Single();
            Assert.That(dense, Has.Length.EqualTo(384));
            Assert.That(TensorPrimitives.Norm(dense), Is.EqualTo(1f).Within(1e-3));
        }
        var found = await bed.Index.RetrieveAsync(new RetrievalRequest("how long until my money is back", 1) { Mode = RetrievalMode.Dense }, CancellationToken.None);
        Assert.That(found.Single().Hit.Title, Is.EqualTo("refunds"));
    }

    [Test]
    public async Task RefitEmbeddingsAsync_EncoderSwitchedFromHashed_CollectionRecreatedAtTheNewSizeWithEveryChunk()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("refunds", "Refunds reach your card within five business days.");
        await bed.AddAsync("shipping", "Parcels to Canada travel by ground freight and take two weeks.");
        await bed.Index.RefitEmbeddingsAsync(CancellationToken.None);
        Assert.That(bed.Collection.DenseVectors.Values.Single().Size, Is.EqualTo(512UL), "the hashed embedder's size first");

        var neural = bed.Reopen(new SentenceEmbeddingGenerator(SentenceEncoderModel.ArcticXs));
        await neural.RefitEmbeddingsAsync(CancellationToken.None);

        Assert.That(bed.Collection.DenseVectors.Values.Single().Size, Is.EqualTo(384UL));
        Assert.That(bed.Collection.Points, Has.Count.EqualTo(2));
        Assert.That(bed.Collection.Points.Values.Select(p => p.Dense.Values.Single().Length), Is.All.EqualTo(384));
        var found = await neural.RetrieveAsync(new RetrievalRequest("how long until my money is back", 1) { Mode = RetrievalMode.Dense }, CancellationToken.None);
        Assert.That(found.Single().Hit.Title, Is.EqualTo("refunds"));
    }
}
