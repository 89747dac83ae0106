using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Splits an article's sections into chunks of at most <see cref="MaxTokens"/> (estimated) tokens, never mixing
/// sections, so every chunk keeps its heading path ("Title › Section › Subsection"). Within a section:
/// <list type="bullet">
/// <item>paragraphs are packed whole while they fit;</item>
/// <item>a list (consecutive items) or a table (consecutive rows) is one block, kept whole where it fits, with the
/// sentence that introduces it ("To apply:"); a longer one is cut between items or rows, and a table's header row
/// is repeated at the top of each piece;</item>
/// <item>a longer paragraph is cut at sentence ends (or, failing that, hard);</item>
/// <item>each chunk after the first starts with the last sentences (up to <see cref="OverlapTokens"/>) of the prose
/// before it, so a passage cut in two still reads in context. Lists and tables are not repeated that way.</item>
/// </list>
/// </summary>
internal static partial class Chunker
{
    /// <summary>Budget per chunk, in tokens as <see cref="CountTokens"/> estimates them (close to a BPE tokenizer's count on English).</summary>
    public const int MaxTokens = 256;

    /// <summary>How much of the previous chunk's prose is repeated at the start of the next.</summary>
    public const int OverlapTokens = 32;

    /// <summary>A hard cap for text without word breaks (a pasted hash, say), which the token estimate under-counts.</summary>
    public const int MaxChars = 2000;

    /// <summary>An estimate of the tokens in <paramref name="text"/>: each run of letters or digits, and each other non-space character.</summary>
    public static int CountTokens(string text)
    {
        var tokens = 0;
        var inWord = false;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (!inWord)
                    tokens++;
                inWord = true;
                continue;
            }
            inWord = false;
            if (!char.IsWhiteSpace(ch))
                tokens++;
        }
        return tokens;
    }

    public static IReadOnlyList<KnowledgeChunk> Split(KnowledgeArticle article)
    {
        var chunks = new List<KnowledgeChunk>();
        foreach (var section in article.Sections)
        {
            var buffer = new List<string>();
            var tokens = 0;
            string? lastProse = null; // the prose piece the next chunk's overlap comes from
            foreach (var block in Blocks(section.Text))
            {
                foreach (var piece in Pieces(block))
                {
                    var pieceTokens = CountTokens(piece.Text);
                    if (buffer.Count > 0 && (tokens + pieceTokens > MaxTokens || Length(buffer) + piece.Text.Length + 2 > MaxChars))
                    {
                        chunks.Add(new KnowledgeChunk(chunks.Count, section.HeadingPath, string.Join("\n\n", buffer)));
                        buffer.Clear();
                        tokens = 0;
                        if (lastProse is not null && Tail(lastProse) is { Length: > 0 } overlap && CountTokens(overlap) + pieceTokens <= MaxTokens
                            && overlap.Length + piece.Text.Length + 2 <= MaxChars)
                        {
                            buffer.Add(overlap);
                            tokens += CountTokens(overlap);
                        }
                    }
                    buffer.Add(piece.Text);
                    tokens += pieceTokens;
                    lastProse = piece.IsProse ? piece.Text : null;
                }
            }
            if (buffer.Count > 0)
                chunks.Add(new KnowledgeChunk(chunks.Count, section.HeadingPath, string.Join("\n\n", buffer)));
        }
        return chunks;
    }

    private static int Length(List<string> buffer) => buffer.Sum(b => b.Length + 2);

    private readonly record struct Block(string Text, BlockKind Kind);

    private enum BlockKind
    {
        Prose,
        List,
        Table,
    }

    private readonly record struct Piece(string Text, bool IsProse);

    /// <summary>Paragraphs, with consecutive list items and table rows grouped, and a paragraph ending in ':' kept with the list or table after it.</summary>
    private static List<Block> Blocks(string text)
    {
        var blocks = new List<Block>();
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kind = KindOf(paragraph);
            if (blocks.Count > 0 && kind != BlockKind.Prose)
            {
                var last = blocks[^1];
                if (last.Kind == kind)
                {
                    blocks[^1] = last with { Text = last.Text + "\n" + paragraph };
                    continue;
                }
                if (last.Kind == BlockKind.Prose && last.Text.EndsWith(':'))
                {
                    blocks[^1] = new Block(last.Text + "\n" + paragraph, kind);
                    continue;
                }
            }
            blocks.Add(new Block(paragraph, kind));
        }
        return blocks;
    }

    private static BlockKind KindOf(string paragraph)
    {
        var lines = paragraph.Split('\n');
        if (lines.All(l => ListItem().IsMatch(l) || (l.Length > 0 && char.IsWhiteSpace(l[0]))))
            return BlockKind.List;
        if (lines.All(l => l.Contains('|', StringComparison.Ordinal)))
            return BlockKind.Table;
        return BlockKind.Prose;
    }

    /// <summary>A block as one piece when it fits; otherwise lists and tables by lines (a table's header on each piece), prose by sentences.</summary>
    private static IEnumerable<Piece> Pieces(Block block)
    {
        if (CountTokens(block.Text) <= MaxTokens && block.Text.Length <= MaxChars)
            return [new Piece(block.Text, block.Kind == BlockKind.Prose)];
        if (block.Kind == BlockKind.Prose)
            return Sentences(block.Text).Select(s => new Piece(s, IsProse: true));
        var lines = block.Text.Split('\n');
        // A Markdown table's header and its |---| rule, or an HTML table's first row.
        var header = block.Kind == BlockKind.Table
            ? lines.Length > 1 && TableRule().IsMatch(lines[1]) ? lines[0] + "\n" + lines[1] : lines[0]
            : null;
        return Pack(lines.Skip(header is null ? 0 : header.Count(c => c == '\n') + 1), header).Select(p => new Piece(p, IsProse: false));
    }

    private static IEnumerable<string> Pack(IEnumerable<string> lines, string? header)
    {
        var current = new List<string>();
        var headerTokens = header is null ? 0 : CountTokens(header);
        var tokens = headerTokens;
        foreach (var line in lines.SelectMany(l => CountTokens(l) + headerTokens > MaxTokens || l.Length > MaxChars / 2 ? Sentences(l) : [l]))
        {
            var lineTokens = CountTokens(line);
            if (current.Count > 0 && tokens + lineTokens > MaxTokens)
            {
                yield return Join(header, current);
                current.Clear();
                tokens = headerTokens;
            }
            current.Add(line);
            tokens += lineTokens;
        }
        if (current.Count > 0)
            yield return Join(header, current);
    }

    private static string Join(string? header, List<string> lines) => header is null ? string.Join("\n", lines) : header + "\n" + string.Join("\n", lines);

    /// <summary>A paragraph cut into runs of whole sentences within the budget; a sentence over it is cut hard.</summary>
    private static IEnumerable<string> Sentences(string paragraph)
    {
        var sentences = SentenceEnd().Split(paragraph).Where(s => s.Length > 0).ToList();
        var current = "";
        foreach (var sentence in sentences.SelectMany(Hard))
        {
            var joined = current.Length == 0 ? sentence : current + " " + sentence;
            if (current.Length > 0 && (CountTokens(joined) > MaxTokens || joined.Length > MaxChars))
            {
                yield return current;
                current = sentence;
            }
            else
            {
                current = joined;
            }
        }
        if (current.Length > 0)
            yield return current;
    }

    /// <summary>A sentence over the budget, cut at word breaks (or every <see cref="MaxChars"/> characters when there are none).</summary>
    private static IEnumerable<string> Hard(string sentence)
    {
        if (CountTokens(sentence) <= MaxTokens && sentence.Length <= MaxChars)
        {
            yield return sentence;
            yield break;
        }
        var start = 0;
        while (start < sentence.Length)
        {
            var end = Math.Min(start + MaxChars, sentence.Length);
            // Back off to the budget in tokens, then to a space.
            while (end - start > 1 && CountTokens(sentence[start..end]) > MaxTokens)
                end = start + (end - start) * 3 / 4;
            if (end < sentence.Length && sentence.LastIndexOf(' ', end - 1, end - start) is var space and > 0 && space > start)
                end = space;
            yield return sentence[start..end].Trim();
            start = end;
        }
    }

    /// <summary>The last whole sentences of a prose piece, up to <see cref="OverlapTokens"/>; empty when its last sentence is longer.</summary>
    internal static string Tail(string prose)
    {
        var sentences = SentenceEnd().Split(prose.Replace("\n\n", " ", StringComparison.Ordinal)).Where(s => s.Length > 0).ToList();
        var tail = "";
        for (var i = sentences.Count - 1; i >= 0; i--)
        {
            var candidate = tail.Length == 0 ? sentences[i] : sentences[i] + " " + tail;
            if (CountTokens(candidate) > OverlapTokens)
                break;
            tail = candidate;
        }
        // Repeating the whole piece adds nothing: the chunk before holds it.
        return tail == prose ? "" : tail;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^\s*([-*+•]|\d+[.)])\s")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}")]
    private static partial Regex TableRule();
}
