using System.Numerics.Tensors;
using HelpdeskSidecar.Ai.Encoders;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Tests.Ai.Encoders;

/// <summary>The real ONNX models from their packages (no fake): each test pays the one-time load per model and process.</summary>
[TestFixtureSource(nameof(Models))]
public class SentenceEmbeddingGeneratorTests(string modelName)
{
    public static IEnumerable<string> Models => SentenceEncoderModel.All.Select(m => m.Name);

    private SentenceEmbeddingGenerator _generator = null!;

    [SetUp]
    public void SetUp() => _generator = new SentenceEmbeddingGenerator(SentenceEncoderModel.Find(modelName)!);

    [TearDown]
    public void TearDown() => _generator.Dispose();

    private async Task<float[]> EmbedAsync(string text, EmbeddingGenerationOptions? options = null) =>
        (await _generator.GenerateAsync([text], options))[0].Vector.ToArray();

    [Test]
    public async Task GenerateAsync_SameTextTwice_SameVector()
    {
        var first = await EmbedAsync("How do I reset my password?");
        var second = (await _generator.GenerateAsync(["something else entirely", "How do I reset my password?"]))[1].Vector.ToArray();

        // Batched with another text (padding) or alone: the same vector, up to float rounding.
        Assert.That(TensorPrimitives.CosineSimilarity(first, second), Is.EqualTo(1f).Within(1e-4));
        Assert.That(second, Is.EqualTo(first).Within(1e-3));
    }

    [Test]
    public async Task GenerateAsync_AnyText_UnitVectorOfTheModelsDimensions()
    {
        var embeddings = await _generator.GenerateAsync(["Refunds take five business days.", "a", ""]);

        Assert.That(embeddings, Has.Count.EqualTo(3));
        foreach (var embedding in embeddings)
        {
            Assert.That(embedding.Vector.Length, Is.EqualTo(384));
            Assert.That(TensorPrimitives.Norm(embedding.Vector.Span), Is.EqualTo(1f).Within(1e-3));
            Assert.That(embedding.ModelId, Is.EqualTo(modelName));
        }
    }

    [Test]
    public async Task GenerateAsync_Paraphrase_CloserThanAnUnrelatedSentence()
    {
        var query = await EmbedAsync("I forgot my password and cannot sign in", EmbeddingInput.Query);
        var paraphrase = await EmbedAsync("Resetting a lost password so you can log in to your account again.");
        var unrelated = await EmbedAsync("Our warehouse ships parcels to Canada by ground freight.");

        var near = TensorPrimitives.Dot(query, paraphrase);
        var far = TensorPrimitives.Dot(query, unrelated);
        Assert.That(near, Is.GreaterThan(far + 0.1f), $"paraphrase {near:0.000}, unrelated {far:0.000}");
    }

    [Test]
    public async Task GenerateAsync_QueryOption_PrefixOnlyWhereTheModelHasOne()
    {
        const string text = "cancel my subscription";
        var asQuery = await EmbedAsync(text, EmbeddingInput.Query);
        var asPassage = await EmbedAsync(text);

        var model = SentenceEncoderModel.Find(modelName)!;
        if (model.QueryPrefix.Length > 0)
            Assert.That(TensorPrimitives.CosineSimilarity(asQuery, asPassage), Is.LessThan(0.999f));
        else
            Assert.That(asQuery, Is.EqualTo(asPassage).Within(1e-5));
    }

    [Test]
    public async Task GenerateAsync_TextFarBeyondTheModelsLimit_TruncatedNotThrown()
    {
        var model = SentenceEncoderModel.Find(modelName)!;
        var opening = string.Join(' ', Enumerable.Repeat("refund policy for damaged goods", model.MaxTokens / 5));
        var huge = opening + " " + string.Join(' ', Enumerable.Repeat("shipping to canada takes two weeks", 4000));

        var vector = await EmbedAsync(huge);
        var start = await EmbedAsync(opening + " " + string.Join(' ', Enumerable.Repeat("shipping to canada takes two weeks", 200)));

        Assert.That(TensorPrimitives.Norm(vector), Is.EqualTo(1f).Within(1e-3));
        // Everything past the limit is cut: the same first tokens give the same vector.
        Assert.That(TensorPrimitives.CosineSimilarity(vector, start), Is.EqualTo(1f).Within(1e-4));
    }

    [Test]
    public async Task GenerateAsync_ConcurrentCallers_EachGetsItsOwnTextsVectors()
    {
        string[] texts = ["track my parcel", "change the delivery address", "refund for a broken item", "close my account"];
        var expected = (await _generator.GenerateAsync(texts)).Select(e => e.Vector.ToArray()).ToArray();

        var calls = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var j = i % texts.Length;
            return (j, (await _generator.GenerateAsync([texts[j]]))[0].Vector.ToArray());
        }));
        var results = await Task.WhenAll(calls);

        foreach (var (j, vector) in results)
            Assert.That(TensorPrimitives.CosineSimilarity(vector, expected[j]), Is.EqualTo(1f).Within(1e-4), texts[j]);
    }
}
