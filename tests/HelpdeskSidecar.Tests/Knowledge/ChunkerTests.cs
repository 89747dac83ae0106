using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Knowledge;

public class ChunkerTests
{
    private static KnowledgeArticle Article(params ArticleSection[] sections) =>
        new("files", "a.md", "Title", null, sections);

    /// <summary>A paragraph of whole sentences, <paramref name="count"/> of them, each numbered so that it is unique.</summary>
    private static string Sentences(string prefix, int count) =>
        string.Join(" ", Enumerable.Range(1, count).Select(i => $"{prefix} sentence number {i:000} says something useful."));

    [Test]
    public void Split_ShortSection_OneChunkWithWholeText()
    {
        var chunks = Chunker.Split(Article(new ArticleSection("Title › Refunds", "First paragraph.\n\nSecond paragraph.")));

        Assert.That(chunks, Has.Count.EqualTo(1));
        Assert.That(chunks[0].Text, Is.EqualTo("First paragraph.\n\nSecond paragraph."));
        Assert.That(chunks[0].HeadingPath, Is.EqualTo("Title › Refunds"));
        Assert.That(chunks[0].Ordinal, Is.EqualTo(0));
    }

    [Test]
    public void Split_TwoSections_ChunksDoNotMixSectionsAndOrdinalsRunOn()
    {
        var chunks = Chunker.Split(Article(
            new ArticleSection("Title › A", "Alpha text."),
            new ArticleSection("Title › B", "Beta text.")));

        Assert.That(chunks.Select(c => (c.Ordinal, c.HeadingPath, c.Text)), Is.EqualTo(new[]
        {
            (0, "Title › A", "Alpha text."),
            (1, "Title › B", "Beta text."),
        }));
    }

    [Test]
    public void Split_LongSection_SplitsAtParagraphBoundariesWithinMaxChars()
    {
        var paragraphs = Enumerable.Range(1, 8).Select(i => Sentences($"P{i}", 12)).ToList();
        Assert.That(paragraphs.Sum(p => p.Length), Is.GreaterThan(2 * Chunker.MaxChars));
        Assert.That(paragraphs, Has.All.Length.LessThan(Chunker.MaxChars));

        var chunks = Chunker.Split(Article(new ArticleSection("Title › Long", string.Join("\n\n", paragraphs))));

        Assert.That(chunks, Has.Count.GreaterThan(1));
        Assert.That(chunks.Select(c => c.Text.Length), Has.All.LessThanOrEqualTo(Chunker.MaxChars));
        // Every chunk is a run of whole paragraphs, and together they give back the section in order.
        var rebuilt = chunks.SelectMany(c => c.Text.Split("\n\n")).ToList();
        Assert.That(rebuilt, Is.EqualTo(paragraphs));
        Assert.That(chunks.Select(c => c.HeadingPath), Has.All.EqualTo("Title › Long"));
        Assert.That(chunks.Select(c => c.Ordinal), Is.EqualTo(Enumerable.Range(0, chunks.Count)));
    }

    [Test]
    public void Split_ParagraphsThatFitTogether_PackedIntoOneChunk()
    {
        var a = new string('a', 500);
        var b = new string('b', 500);
        var c = new string('c', 500);

        var chunks = Chunker.Split(Article(new ArticleSection("T", $"{a}\n\n{b}\n\n{c}")));

        Assert.That(chunks.Select(ch => ch.Text), Is.EqualTo(new[] { $"{a}\n\n{b}", c }));
    }

    [Test]
    public void Split_HugeParagraphOfSentences_CutAtSentenceEnds()
    {
        var paragraph = Sentences("S", 100);
        Assert.That(paragraph.Length, Is.GreaterThan(3 * Chunker.MaxChars));

        var chunks = Chunker.Split(Article(new ArticleSection("Title › Huge", paragraph)));

        Assert.That(chunks, Has.Count.GreaterThan(2));
        Assert.That(chunks.Select(c => c.Text.Length), Has.All.LessThanOrEqualTo(Chunker.MaxChars));
        Assert.That(chunks.Select(c => c.Text), Has.All.StartWith("S sentence number "));
        Assert.That(chunks.Select(c => c.Text), Has.All.EndWith("says something useful."));
        Assert.That(chunks.Select(c => c.HeadingPath), Has.All.EqualTo("Title › Huge"));
        // Nothing is lost or repeated: the pieces, joined by a space, are the paragraph.
        Assert.That(string.Join(" ", chunks.Select(c => c.Text.Replace("\n\n", " "))), Is.EqualTo(paragraph));
    }

    [Test]
    public void Split_HugeParagraphWithoutSentenceEnds_CutHardAtMaxChars()
    {
        var paragraph = new string('x', 2 * Chunker.MaxChars + 100);

        var chunks = Chunker.Split(Article(new ArticleSection("T", paragraph)));

        Assert.That(chunks.Select(c => c.Text.Length), Is.EqualTo(new[] { Chunker.MaxChars, Chunker.MaxChars, 100 }));
        Assert.That(string.Concat(chunks.Select(c => c.Text)), Is.EqualTo(paragraph));
    }

    [Test]
    public void Split_HeadingPathCarriedIntoEveryChunkOfEverySection()
    {
        var chunks = Chunker.Split(Article(
            new ArticleSection("Title › One", Sentences("A", 40)),
            new ArticleSection("Title › Two", Sentences("B", 40))));

        var one = chunks.Where(c => c.Text.StartsWith('A')).ToList();
        var two = chunks.Where(c => c.Text.StartsWith('B')).ToList();
        Assert.That(one, Has.Count.GreaterThan(1));
        Assert.That(two, Has.Count.GreaterThan(1));
        Assert.That(one.Count + two.Count, Is.EqualTo(chunks.Count));
        Assert.That(one.Select(c => c.HeadingPath), Has.All.EqualTo("Title › One"));
        Assert.That(two.Select(c => c.HeadingPath), Has.All.EqualTo("Title › Two"));
    }

    [Test]
    public void Split_NoSections_NoChunks()
    {
        Assert.That(Chunker.Split(Article()), Is.Empty);
    }
}
