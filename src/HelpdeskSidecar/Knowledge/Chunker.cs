namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Splits an article's sections into chunks of at most <see cref="MaxChars"/>, at paragraph boundaries,
/// so that a list or a table stays whole where it fits. Every chunk keeps its heading path.
/// </summary>
internal static class Chunker
{
    public const int MaxChars = 1200;

    public static IReadOnlyList<KnowledgeChunk> Split(KnowledgeArticle article)
    {
        var chunks = new List<KnowledgeChunk>();
        foreach (var section in article.Sections)
        {
            var buffer = new List<string>();
            var length = 0;
            foreach (var paragraph in section.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                foreach (var piece in Pieces(paragraph))
                {
                    if (length > 0 && length + piece.Length + 2 > MaxChars)
                    {
                        chunks.Add(new KnowledgeChunk(chunks.Count, section.HeadingPath, string.Join("\n\n", buffer)));
                        buffer.Clear();
                        length = 0;
                    }
                    buffer.Add(piece);
                    length += piece.Length + 2;
                }
            }
            if (buffer.Count > 0)
                chunks.Add(new KnowledgeChunk(chunks.Count, section.HeadingPath, string.Join("\n\n", buffer)));
        }
        return chunks;
    }

    /// <summary>A paragraph longer than a chunk is cut at sentence ends (or, failing that, hard).</summary>
    private static IEnumerable<string> Pieces(string paragraph)
    {
        if (paragraph.Length <= MaxChars)
        {
            yield return paragraph;
            yield break;
        }
        var start = 0;
        while (start < paragraph.Length)
        {
            var end = Math.Min(start + MaxChars, paragraph.Length);
            if (end < paragraph.Length)
            {
                var cut = paragraph.LastIndexOfAny(['.', '!', '?', '\n'], end - 1, end - start);
                if (cut > start + MaxChars / 2)
                    end = cut + 1;
            }
            yield return paragraph[start..end].Trim();
            start = end;
        }
    }
}
