using System.Text.RegularExpressions;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>
/// The drafter used when no language model is configured: it quotes the best-matching sentences of the
/// best-matching articles, each followed by the number of its source. It never writes a sentence of its own
/// beyond a greeting and a closing, so everything it claims is in a cited article.
/// </summary>
internal static partial class OfflineDrafter
{
    public const string Version = "offline-extractive/v1";

    /// <summary>An article must share at least this many distinct content terms with the ticket to be quoted.</summary>
    public const int MinMatchedTerms = 2;

    /// <summary>
    /// Below this confidence there is no draft, only a knowledge-gap note. Confidence is twice the share of the
    /// ticket's content terms that the best article contains, capped at 1. Set by eye on the sample tickets
    /// (off-topic tickets scored 0.15–0.32, answerable ones 0.44 and up); a calibrated threshold needs the
    /// held-out evaluation that comes with the drafting work.
    /// </summary>
    public const double MinConfidence = 0.35;

    public const int MaxSources = 3;
    public const int MaxSentences = 4;

    public static Draft Compose(HelpdeskTicket ticket, IReadOnlyList<string> terms, IReadOnlyList<KnowledgeHit> hits)
    {
        var articles = hits
            .GroupBy(h => h.ArticleId)
            .Select(g => (Best: g.MaxBy(h => h.Score)!, Hits: g.ToList(), Matched: g.SelectMany(h => h.MatchedTerms).Distinct().ToList()))
            .OrderByDescending(a => a.Best.Score)
            .ToList();
        var qualified = articles.Where(a => a.Matched.Count >= Math.Min(MinMatchedTerms, terms.Count)).Take(MaxSources).ToList();
        // Confidence is that of the best article that may be quoted, not of a top hit that shares a single word.
        var confidence = qualified.Count == 0 ? 0 : Confidence(qualified[0].Matched.Count, terms.Count);

        var closest = articles.Take(MaxSources)
            .Select((a, i) => new CitedSource(i + 1, a.Best.ArticleId, a.Best.Title, a.Best.Url, a.Best.HeadingPath, a.Best.Score, a.Matched))
            .ToList();
        if (qualified.Count == 0 || confidence < MinConfidence)
        {
            var reason = hits.Count == 0 ? "No article matched the ticket."
                : qualified.Count == 0 ? $"No article shares {MinMatchedTerms} or more terms with the ticket."
                : FormattableString.Invariant($"The best article covers too little of the ticket (confidence {confidence:0.00} < {MinConfidence}).");
            return new Draft(null, closest, confidence, reason);
        }

        // Weigh each term by how rare it is among the retrieved passages: "refund" beats "order".
        var df = terms.ToDictionary(t => t, t => hits.Count(h => h.MatchedTerms.Contains(t)));
        double Weight(string term) => 1.0 / Math.Log(2 + df.GetValueOrDefault(term));

        var picked = new List<(int Source, int ArticleRank, int Position, string Sentence, double Score)>();
        for (var rank = 0; rank < qualified.Count; rank++)
        {
            var sentences = qualified[rank].Hits
                .OrderBy(h => h.ChunkId)
                .SelectMany(h => Sentences(h.Text))
                .Select((s, position) =>
                {
                    var words = QueryText.Tokens(s).Select(KnowledgeIndex.Stem).ToHashSet();
                    var score = terms.Where(t => words.Contains(KnowledgeIndex.Stem(t))).Sum(Weight);
                    return (Source: rank + 1, ArticleRank: rank, Position: position, Sentence: s, Score: score);
                })
                .Where(s => s.Score > 0)
                .OrderByDescending(s => s.Score)
                .Take(rank == 0 ? 3 : 1);
            picked.AddRange(sentences);
        }
        var chosen = picked.OrderByDescending(p => p.Score).Take(MaxSentences)
            .OrderBy(p => p.ArticleRank).ThenBy(p => p.Position).ToList();
        if (chosen.Count == 0)
            return new Draft(null, closest, confidence, "The matching articles match in their titles only; no sentence answers the ticket.");

        // Renumber so that the note's sources are exactly the ones cited, in order of first citation.
        var usedRanks = chosen.Select(c => c.ArticleRank).Distinct().ToList();
        var sources = usedRanks.Select((rank, i) =>
        {
            var a = qualified[rank];
            return new CitedSource(i + 1, a.Best.ArticleId, a.Best.Title, a.Best.Url, a.Best.HeadingPath, a.Best.Score, a.Matched);
        }).ToList();
        var body = string.Join("\n", chosen.Select(c => $"{c.Sentence} [{usedRanks.IndexOf(c.ArticleRank) + 1}]"));
        var greeting = FirstName(ticket.RequesterName) is { } name ? $"Hi {name}," : "Hi,";
        var reply = $"{greeting}\n\nThanks for getting in touch. Here is what our help center says about this:\n\n{body}\n\nIf anything is still unclear, just reply and we will help.";
        return new Draft(reply, sources, confidence, $"Quoted {chosen.Count} passages from {sources.Count} articles.");
    }

    private static double Confidence(int matched, int termCount) =>
        Math.Round(Math.Min(1, 2.0 * matched / Math.Max(1, termCount)), 3);

    internal static IEnumerable<string> Sentences(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Table rows and separators are not sentences; headings of lists are kept with their items.
            if (line.StartsWith('|') || line.All(c => c is '-' or '|' or ':' or ' '))
                continue;
            var bullet = BulletMark().Replace(line, "");
            foreach (var sentence in SentenceEnd().Split(bullet))
            {
                var s = sentence.Trim();
                // A lead-in ("To ask for a refund:") means nothing without what follows it.
                if (s.Length >= 20 && s.Length <= 400 && !s.EndsWith(':'))
                    yield return s.EndsWith('.') || s.EndsWith('!') || s.EndsWith('?') ? s : s + ".";
            }
        }
    }

    private static string? FirstName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : name.Trim().Split(' ', 2)[0];

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""“])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^([-*+]|\d+[.)])\s+")]
    private static partial Regex BulletMark();
}
