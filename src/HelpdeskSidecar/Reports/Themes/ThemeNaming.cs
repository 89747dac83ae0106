using System.Text.RegularExpressions;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>
/// Names each cluster by its characteristic words: class-based TF-IDF (c-TF-IDF, as BERTopic), where all the texts of a
/// cluster form one document: <c>weight(t, c) = tf(t, c) / |c| · log(1 + A / f(t))</c>, tf the term's count in the
/// cluster, |c| the cluster's word count, A the mean word count per cluster and f(t) the term's count over all clusters.
/// A word frequent in one theme and rare elsewhere ranks first; words every theme uses ("account", "help") sink.
/// Redaction placeholders (<c>[EMAIL_1]</c>) and numbers never name a theme.
/// </summary>
internal static partial class ThemeNaming
{
    public const int WordsPerTheme = 3;

    /// <returns>Per cluster (0..k−1), its top words, best first.</returns>
    public static IReadOnlyList<IReadOnlyList<string>> Name(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int words = WordsPerTheme)
    {
        var k = labels.Count == 0 ? 0 : labels.Max() + 1;
        var counts = Enumerable.Range(0, k).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            foreach (var term in Terms(texts[i]))
            {
                counts[labels[i]][term] = counts[labels[i]].GetValueOrDefault(term) + 1;
                total[term] = total.GetValueOrDefault(term) + 1;
            }
        }
        var mean = k == 0 ? 0 : counts.Average(c => (double)c.Values.Sum());
        // A word every theme uses ("account" in a bank's tickets) names none of them, however often it occurs.
        var everywhere = k < 2 ? [] : total.Keys.Where(t => counts.All(c => c.ContainsKey(t))).ToHashSet(StringComparer.Ordinal);
        return counts.Select(c =>
        {
            var length = Math.Max(1, c.Values.Sum());
            return (IReadOnlyList<string>)c
                .Where(t => !everywhere.Contains(t.Key))
                .Select(t => (Term: t.Key, Weight: (double)t.Value / length * Math.Log(1 + mean / total[t.Key])))
                .OrderByDescending(t => t.Weight).ThenBy(t => t.Term, StringComparer.Ordinal)
                .Take(words).Select(t => t.Term).ToList();
        }).ToList();
    }

    /// <summary>The label shown for a theme: its words joined, or "(no words)" for a cluster of empty texts.</summary>
    public static string Label(IReadOnlyList<string> words) => words.Count == 0 ? "(no words)" : string.Join(" · ", words);

    public static IEnumerable<string> Terms(string text) =>
        QueryText.Tokens(Placeholder().Replace(text, " "))
            .Where(t => t.Length > 2 && QueryText.IsContentTerm(t) && !NotNames.Contains(t) && !t.Any(char.IsDigit));

    /// <summary>Words the search stop list keeps but that name nothing: pronouns, fillers, days.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "her", "she", "him", "his", "hers", "like", "last", "week", "today", "yesterday", "tomorrow", "day", "days", "ago",
        "already", "even", "back", "able", "going", "way", "thing", "things", "anything", "something", "really", "sure", "tried",
    };

    [GeneratedRegex(@"\[[A-Z][A-Z_]*_\d+\]")]
    private static partial Regex Placeholder();
}
