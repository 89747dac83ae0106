using System.Numerics.Tensors;
using HelpdeskSidecar.Knowledge.Embedded;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Tests.Knowledge.Embedded;

public class OfflineEmbeddingModelTests
{
    private static readonly string[] Corpus =
    [
        "Renew your driver license online or at an office.",
        "Register a vehicle: bring the title and proof of insurance.",
        "Insurance lapses lead to a suspended registration.",
        "Apply for student aid with the FAFSA form.",
    ];

    [Test]
    public void Embed_AnyText_UnitLengthWithConfiguredDimensions()
    {
        var model = OfflineEmbeddingModel.Fit(Corpus);

        var vector = model.Embed("renewing my license");

        Assert.That(vector, Has.Length.EqualTo(OfflineEmbeddingModel.Dimensions));
        Assert.That(TensorPrimitives.Norm(vector), Is.EqualTo(1f).Within(1e-4));
    }

    [Test]
    public void Embed_RelatedQuery_CloserToTheMatchingDocumentThanToOthers()
    {
        var model = OfflineEmbeddingModel.Fit(Corpus);
        var query = model.Embed("my insurance lapsed, is my registration suspended?");

        var scores = Corpus.Select(d => TensorPrimitives.Dot(query, model.Embed(d))).ToList();

        Assert.That(scores.IndexOf(scores.Max()), Is.EqualTo(2));
    }

    [Test]
    public void Fit_CommonWord_WeighsLessThanRareWord()
    {
        // "office" is everywhere in this corpus, "fafsa" once: a query with both leans toward the FAFSA text.
        var corpus = Enumerable.Range(0, 8).Select(i => $"Visit the office number {i}.").Append("The FAFSA office.").ToList();
        var model = OfflineEmbeddingModel.Fit(corpus);

        var query = model.Embed("office fafsa");

        Assert.That(TensorPrimitives.Dot(query, model.Embed("fafsa")), Is.GreaterThan(TensorPrimitives.Dot(query, model.Embed("office"))));
    }

    [Test]
    public void Serialize_RoundTrip_SameVectors()
    {
        var model = OfflineEmbeddingModel.Fit(Corpus);

        var copy = OfflineEmbeddingModel.Deserialize(model.Serialize());

        Assert.That(copy.Documents, Is.EqualTo(Corpus.Length));
        Assert.That(copy.Embed("student aid form"), Is.EqualTo(model.Embed("student aid form")));
    }

    [Test]
    public async Task GenerateAsync_ThroughTheAbstraction_OneEmbeddingPerInputWithModelId()
    {
        using var generator = new OfflineEmbeddingGenerator();
        generator.Fit(Corpus);
        IEmbeddingGenerator<string, Embedding<float>> abstraction = generator;

        var embeddings = await abstraction.GenerateAsync(["license", "insurance"]);

        Assert.That(embeddings, Has.Count.EqualTo(2));
        Assert.That(embeddings[0].ModelId, Is.EqualTo(OfflineEmbeddingModel.Name));
        Assert.That(embeddings[0].Vector.ToArray(), Is.Not.EqualTo(embeddings[1].Vector.ToArray()));
        Assert.That(abstraction.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions, Is.EqualTo(OfflineEmbeddingModel.Dimensions));
    }
}
