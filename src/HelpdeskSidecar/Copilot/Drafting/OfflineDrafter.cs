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
    /// Below this confidence (see <see cref="DraftConfidence"/>) there is no draft, only a knowledge-gap note. Chosen on
    /// doc2dial's tuning slice (benchmark <c>gaps-doc2dial</c>): the highest threshold that still drafts for 90% of the
    /// answerable questions, so that as many off-topic ones as possible become gaps without costing many good drafts;
    /// checked on its holdout and on the sample tickets (docs/benchmarks.md).
    /// </summary>
    public const double MinConfidence = 0.47;

    public const int MaxSources = 3;
    public const int MaxSentences = 4;

    /// <summary>
    /// How sentences are picked when the encoder scored them against the question (<see cref="SentenceRelevance"/>):
    /// each sentence scores its cosine plus <paramref name="LexicalMix"/> × its share of the best term overlap; the top
    /// article gives up to <paramref name="TopArticle"/> sentences, the others one each, <paramref name="Max"/> in all.
    /// Chosen on doc2dial's tuning slice (<c>eval grounding --slice tune</c>, docs/benchmarks.md).
    /// </summary>
    internal sealed record SentencePick(int Max = 2, int TopArticle = 2, double LexicalMix = 0.1)
    {
        public static SentencePick Default { get; } = new();
    }

    public static Draft Compose(HelpdeskTicket ticket, IReadOnlyList<string> terms, IReadOnlyList<KnowledgeHit> hits, RetrievalEvidence? evidence = null,
        IReadOnlyDictionary<string, double>? relevance = null, SentencePick? pick = null)
    {
        var byMeaning = relevance is { Count: > 0 };
        pick ??= SentencePick.Default;
        evidence ??= RetrievalEvidence.None;
        var articles = hits
            .GroupBy(h => h.ArticleId)
            .Select(g => (Best: g.MaxBy(h => h.Score)!, Hits: g.ToList(), Matched: g.SelectMany(h => h.MatchedTerms).Distinct().ToList()))
            .OrderByDescending(a => a.Best.Score)
            .ToList();
        var qualified = articles.Where(a => a.Matched.Count >= Math.Min(MinMatchedTerms, terms.Count)).Take(MaxSources).ToList();
        // A confident intent puts the source whose title names it first ("How do I cancel?" opens with the cancelling
        // article, not with the sign-in one that matched "app" and "iPhone" better); the order is otherwise the retrieval's.
        if (evidence.Intent is { } intent && intent.Confidence >= DraftConfidence.LeadingIntent)
            qualified = qualified.OrderByDescending(a => DraftConfidence.Names(intent.Label, a.Best) >= 1 ? 1 : 0).ToList();

        var closest = articles.Take(MaxSources)
            .Select((a, i) => new CitedSource(i + 1, a.Best.ArticleId, a.Best.Title, a.Best.Url, a.Best.HeadingPath, a.Best.Score, a.Matched))
            .ToList();
        if (qualified.Count == 0)
        {
            var reason = hits.Count == 0 ? "No article matched the ticket." : $"No article shares {MinMatchedTerms} or more terms with the ticket.";
            return new Draft(null, closest, 0, reason);
        }

        // Weigh each term by how rare it is among the retrieved passages: "refund" beats "order".
        var df = terms.ToDictionary(t => t, t => hits.Count(h => h.MatchedTerms.Contains(t)));
        double Weight(string term) => 1.0 / Math.Log(2 + df.GetValueOrDefault(term));

        var picked = new List<(int Source, int ArticleRank, int Position, string Sentence, double Score)>();
        var maxLexical = terms.Sum(Weight);
        for (var rank = 0; rank < qualified.Count; rank++)
        {
            var sentences = qualified[rank].Hits
                .OrderBy(h => h.ChunkId)
                .SelectMany(h => Sentences(h.Text))
                .Distinct(StringComparer.Ordinal)
                .Select((s, position) =>
                {
                    var words = QueryText.Tokens(s).Select(KnowledgeIndex.Stem).ToHashSet();
                    var lexical = terms.Where(t => words.Contains(KnowledgeIndex.Stem(t))).Sum(Weight);
                    // With the encoder, a sentence is chosen for answering the question, not only for sharing its words.
                    var score = !byMeaning ? lexical
                        : relevance!.TryGetValue(s, out var cosine) ? cosine + pick.LexicalMix * (maxLexical > 0 ? lexical / maxLexical : 0) : 0;
                    return (Source: rank + 1, ArticleRank: rank, Position: position, Sentence: s, Score: score);
                })
                .Where(s => s.Score > 0)
                .OrderByDescending(s => s.Score)
                .Take(byMeaning ? (rank == 0 ? pick.TopArticle : 1) : (rank == 0 ? 3 : 1));
            picked.AddRange(sentences);
        }
        var chosen = picked.OrderByDescending(p => p.Score).Take(byMeaning ? pick.Max : MaxSentences)
            .OrderBy(p => p.ArticleRank).ThenBy(p => p.Position).ToList();
        if (chosen.Count == 0)
        {
            var titlesOnly = DraftConfidence.Of(terms, hits, qualified.Select(a => a.Best.ArticleId).ToList(), evidence);
            return new Draft(null, closest, titlesOnly.Confidence, "The matching articles match in their titles only; no sentence answers the ticket.") { Evidence = titlesOnly };
        }

        // Renumber so that the note's sources are exactly the ones cited, in order of first citation.
        var usedRanks = chosen.Select(c => c.ArticleRank).Distinct().ToList();
        // Confidence is that of what the draft cites, not of a top hit that shares a single word.
        var measured = DraftConfidence.Of(terms, hits, usedRanks.Select(r => qualified[r].Best.ArticleId).ToList(), evidence);
        // The classifier's rejection (measured on CLINC150, docs/benchmarks.md) is the same evidence eval intents --oos-label
        // scores: a ticket of a kind the help center does not answer gets no draft however well its words match.
        if (evidence.OutOfScope)
        {
            var top = evidence.Intent is { } i ? FormattableString.Invariant($" (top intent {i.Label} at {i.Confidence:0.00})") : "";
            return new Draft(null, closest, measured.Confidence, $"The intent classifier finds the ticket out of scope{top}; {Describe(measured)}.") { Evidence = measured };
        }
        if (measured.Confidence < MinConfidence)
            return new Draft(null, closest, measured.Confidence, "The cited passages do not answer the ticket well enough (" + Describe(measured) + ").") { Evidence = measured };
        var sources = usedRanks.Select((rank, i) =>
        {
            var a = qualified[rank];
            return new CitedSource(i + 1, a.Best.ArticleId, a.Best.Title, a.Best.Url, a.Best.HeadingPath, a.Best.Score, a.Matched);
        }).ToList();
        var body = string.Join("\n", chosen.Select(c => $"{c.Sentence} [{usedRanks.IndexOf(c.ArticleRank) + 1}]"));
        var greeting = FirstName(ticket.RequesterName) is { } name ? $"Hi {name}," : "Hi,";
        var reply = $"{greeting}\n\nThanks for getting in touch. Here is what our help center says about this:\n\n{body}\n\nIf anything is still unclear, just reply and we will help.";
        return new Draft(reply, sources, measured.Confidence, $"Quoted {chosen.Count} passages from {sources.Count} articles.") { Evidence = measured, Quoted = chosen.Select(c => c.Sentence).ToList() };
    }

    /// <summary>"confidence 0.21 &lt; 0.35: retrieval 0.40, coverage 0.18, agreement 0.52", the line the note and the trace show.</summary>
    internal static string Describe(DraftEvidence e) => FormattableString.Invariant(
        $"confidence {e.Confidence:0.00}{(e.Confidence < MinConfidence ? FormattableString.Invariant($" < {MinConfidence:0.00}") : "")}: {(e.Retrieval is { } r ? FormattableString.Invariant($"retrieval {r:0.00}, ") : "")}coverage {e.Coverage:0.00}{(e.Agreement is { } a ? FormattableString.Invariant($", agreement with the intent {a:0.00}") : "")}");

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
