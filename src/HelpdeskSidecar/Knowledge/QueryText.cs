using System.Text;

namespace HelpdeskSidecar.Knowledge;

/// <summary>Turns free text into search terms: lower case, letters and digits, no stop words.</summary>
internal static class QueryText
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
        "being", "but", "by", "can", "could", "did", "do", "does", "doing", "dont", "for", "from", "get", "got", "had", "has",
        "have", "having", "hello", "help", "hey", "hi", "how", "i", "im", "if", "in", "into", "is", "it", "its", "ive", "just",
        "me", "my", "myself", "no", "not", "now", "of", "on", "or", "our", "out", "please", "regards", "so", "some", "still",
        "team", "than", "thank", "thanks", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
        "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "why", "will",
        "with", "would", "you", "your", "yours", "hello", "dear", "best", "cheers", "ok", "okay", "yes", "since", "only",
        "one", "want", "need", "know", "let", "make", "should", "may", "might", "must", "more", "most", "other", "own",
        "same", "such", "here", "each", "few", "both", "through", "during", "over", "under", "again", "further", "once",
    };

    public static IEnumerable<string> Tokens(string text)
    {
        var token = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                token.Append(char.ToLowerInvariant(ch));
                continue;
            }
            if (ch == '\'' || ch == '’')
                continue; // "don't" → "dont"
            if (token.Length > 0)
            {
                yield return token.ToString();
                token.Clear();
            }
        }
        if (token.Length > 0)
            yield return token.ToString();
    }

    public static bool IsContentTerm(string token) => token.Length > 1 && !StopWords.Contains(token);

    /// <summary>Distinct content terms in order of first appearance.</summary>
    public static IReadOnlyList<string> Terms(string text, int max = 48) =>
        Tokens(text).Where(IsContentTerm).Distinct().Take(max).ToList();

    /// <summary>An FTS5 query that matches any of the terms; each is quoted so that no term is read as syntax.</summary>
    public static string ToFtsQuery(IEnumerable<string> terms) =>
        string.Join(" OR ", terms.Select(t => '"' + t.Replace("\"", "\"\"") + '"'));
}
