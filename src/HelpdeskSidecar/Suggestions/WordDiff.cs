using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Suggestions;

internal enum DiffOp
{
    Same,
    Deleted,
    Inserted,
}

/// <summary>A run of words the draft and the reply share, or that only one of them has.</summary>
internal sealed record DiffSegment(DiffOp Op, IReadOnlyList<string> Words);

/// <summary>
/// Word-level diff of the draft against the reply the agent sent (longest common subsequence of words; line breaks are
/// words of their own, so paragraphs stay visible). Texts longer than <see cref="MaxWords"/> are not aligned: the
/// whole draft shows as deleted and the whole reply as inserted, which is what a table that large would say anyway.
/// </summary>
internal static partial class WordDiff
{
    public const int MaxWords = 3000;

    public static IReadOnlyList<DiffSegment> Of(string draft, string reply)
    {
        var a = Words(draft);
        var b = Words(reply);
        var segments = new List<DiffSegment>();
        void Emit(DiffOp op, string word)
        {
            if (segments.Count > 0 && segments[^1].Op == op)
                ((List<string>)segments[^1].Words).Add(word);
            else
                segments.Add(new DiffSegment(op, new List<string> { word }));
        }
        if ((long)a.Count * b.Count > (long)MaxWords * MaxWords / 4 || a.Count > MaxWords || b.Count > MaxWords)
        {
            a.ForEach(w => Emit(DiffOp.Deleted, w));
            b.ForEach(w => Emit(DiffOp.Inserted, w));
            return segments;
        }
        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                Emit(DiffOp.Same, a[x]);
                x++;
                y++;
            }
            else if (x < a.Count && (y == b.Count || lcs[x + 1, y] >= lcs[x, y + 1]))
                Emit(DiffOp.Deleted, a[x++]); // what the agent removed, before what they wrote in its place
            else
                Emit(DiffOp.Inserted, b[y++]);
        }
        return segments;
    }

    private static List<string> Words(string text) =>
        Token().Matches(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Select(m => m.Value).ToList();

    [GeneratedRegex(@"[^\s]+|\n")]
    private static partial Regex Token();
}
