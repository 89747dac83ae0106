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

    /// <summary>A chunk's text without the overlap it repeats from the chunk before (its first paragraph, when that is the previous chunk's tail).</summary>
    private static string WithoutOverlap(KnowledgeChunk chunk, KnowledgeChunk? previous)
    {
        if (previous is null)
            return chunk.Text;
        var parts = chunk.Text.Split("\n\n").ToList();
        return previous.Text.EndsWith(parts[0], StringComparison.Ordinal) && parts.Count > 1 ? string.Join("\n\n", parts.Skip(1)) : chunk.Text;
    }

    [Test]
    public void CountTokens_WordsAndPunctuation_EachCounted()
    {
        Assert.That(Chunker.CountTokens("Renew your licence, online (in 5 minutes)."), Is.EqualTo(11));
        Assert.That(Chunker.CountTokens("   "), Is.EqualTo(0));
    }

    [Test]
    public void Split_LongSection_WholeParagraphsWithinTokenBudgetEachAfterTheFirstOverlapping()
    {
        var paragraphs = Enumerable.Range(1, 8).Select(i => Sentences($"P{i}", 12)).ToList();
        Assert.That(paragraphs.Sum(Chunker.CountTokens), Is.GreaterThan(2 * Chunker.MaxTokens));
        Assert.That(paragraphs.Select(Chunker.CountTokens), Has.All.LessThan(Chunker.MaxTokens));

        var chunks = Chunker.Split(Article(new ArticleSection("Title › Long", string.Join("\n\n", paragraphs))));

        Assert.That(chunks, Has.Count.GreaterThan(1));
        Assert.That(chunks.Select(c => Chunker.CountTokens(c.Text)), Has.All.LessThanOrEqualTo(Chunker.MaxTokens));
        for (var i = 1; i < chunks.Count; i++)
        {
            // The overlap: the last sentence(s) of the chunk before, at most OverlapTokens, then whole paragraphs.
            var first = chunks[i].Text.Split("\n\n")[0];
            Assert.That(chunks[i - 1].Text, Does.EndWith(first));
            Assert.That(Chunker.CountTokens(first), Is.LessThanOrEqualTo(Chunker.OverlapTokens).And.GreaterThan(0));
        }
        // Without the overlaps, the chunks give back the section's paragraphs in order.
        var rebuilt = chunks.SelectMany((c, i) => WithoutOverlap(c, i == 0 ? null : chunks[i - 1]).Split("\n\n")).ToList();
        Assert.That(rebuilt, Is.EqualTo(paragraphs));
        Assert.That(chunks.Select(c => c.HeadingPath), Has.All.EqualTo("Title › Long"));
        Assert.That(chunks.Select(c => c.Ordinal), Is.EqualTo(Enumerable.Range(0, chunks.Count)));
    }

    [Test]
    public void Split_ParagraphsThatFitTogether_PackedIntoOneChunk()
    {
        var a = Sentences("A", 12); // 96 tokens each
        var b = Sentences("B", 12);
        var c = Sentences("C", 12);
        Assert.That(Chunker.CountTokens(a + b), Is.LessThan(Chunker.MaxTokens));
        Assert.That(Chunker.CountTokens(a + b + c), Is.GreaterThan(Chunker.MaxTokens));

        var chunks = Chunker.Split(Article(new ArticleSection("T", $"{a}\n\n{b}\n\n{c}")));

        Assert.That(chunks, Has.Count.EqualTo(2));
        Assert.That(chunks[0].Text, Is.EqualTo($"{a}\n\n{b}"));
        Assert.That(chunks[1].Text, Does.EndWith($"\n\n{c}").And.StartWith("B sentence number"));
    }

    [Test]
    public void Split_HugeParagraphOfSentences_CutAtSentenceEnds()
    {
        var paragraph = Sentences("S", 100);
        Assert.That(Chunker.CountTokens(paragraph), Is.GreaterThan(3 * Chunker.MaxTokens));

        var chunks = Chunker.Split(Article(new ArticleSection("Title › Huge", paragraph)));

        Assert.That(chunks, Has.Count.GreaterThan(2));
        Assert.That(chunks.Select(c => Chunker.CountTokens(c.Text)), Has.All.LessThanOrEqualTo(Chunker.MaxTokens));
        Assert.That(chunks.Select(c => c.Text), Has.All.StartWith("S sentence number "));
        Assert.That(chunks.Select(c => c.Text), Has.All.EndWith("says something useful."));
        Assert.That(chunks.Select(c => c.HeadingPath), Has.All.EqualTo("Title › Huge"));
        // Nothing is lost: without the overlaps, the pieces joined by a space are the paragraph.
        Assert.That(string.Join(" ", chunks.Select((c, i) => WithoutOverlap(c, i == 0 ? null : chunks[i - 1]).Replace("\n\n", " "))), Is.EqualTo(paragraph));
    }

    [Test]
    public void Split_HugeParagraphWithoutBreaks_CutHardAtMaxChars()
    {
        var paragraph = new string('x', 2 * Chunker.MaxChars + 100);

        var chunks = Chunker.Split(Article(new ArticleSection("T", paragraph)));

        Assert.That(chunks.Select(c => c.Text.Length), Is.EqualTo(new[] { Chunker.MaxChars, Chunker.MaxChars, 100 }));
        Assert.That(string.Concat(chunks.Select(c => c.Text)), Is.EqualTo(paragraph));
    }

    [Test]
    public void Split_ListWithLeadIn_KeptWholeInOneChunk()
    {
        var before = Sentences("Intro", 30); // 240 tokens: the list (19) does not fit beside it
        var list = "To renew, bring:\n\n- your old licence\n\n- proof of address\n\n- the fee of 40 dollars";

        var chunks = Chunker.Split(Article(new ArticleSection("Title › Renewal", $"{before}\n\n{list}")));

        Assert.That(chunks, Has.Count.EqualTo(2));
        Assert.That(chunks[1].Text, Does.EndWith("To renew, bring:\n- your old licence\n- proof of address\n- the fee of 40 dollars"));
        Assert.That(chunks[0].Text, Does.Not.Contain("licence"));
    }

    [Test]
    public void Split_TableOverBudget_CutBetweenRowsWithHeaderRepeated()
    {
        var rows = Enumerable.Range(1, 60).Select(i => $"| Plan {i:00} | {i * 10} dollars a month | includes {i} seats |");
        var table = "| Plan | Price | Seats |\n|---|---|---|\n" + string.Join("\n", rows);

        var chunks = Chunker.Split(Article(new ArticleSection("Title › Prices", table)));

        Assert.That(chunks, Has.Count.GreaterThan(1));
        Assert.That(chunks.Select(c => c.Text), Has.All.StartWith("| Plan | Price | Seats |\n|---|---|---|\n| Plan "));
        Assert.That(chunks.Select(c => Chunker.CountTokens(c.Text)), Has.All.LessThanOrEqualTo(Chunker.MaxTokens));
        // Every row appears once, whole, in order.
        var bodyRows = chunks.SelectMany(c => c.Text.Split('\n').Skip(2)).ToList();
        Assert.That(bodyRows, Is.EqualTo(rows));
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
