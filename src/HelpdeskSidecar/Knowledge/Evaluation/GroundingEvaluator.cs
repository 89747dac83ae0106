using System.Text;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Helpdesks;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Knowledge.Evaluation;

/// <summary>Token overlap of the offline drafts with the gold grounding text, averaged over turns (a turn without a draft scores 0).</summary>
internal sealed record GroundingEvalResult(int Queries, int Drafted, double TokenPrecision, double TokenRecall, double TokenF1, double MeanWords, int Documents, long Chunks);

/// <summary>
/// <c>eval grounding</c>: the documents in a fresh index (<see cref="EvalIndex"/>), then per turn what the pipeline does
/// offline: hybrid retrieval of the top-k passages for the dialogue, and the offline drafter, which quotes the sentences
/// that answer the newest message. The quoted sentences (the draft without its greeting, closing and [n] markers) are
/// compared with <c>gold_grounding_text</c> by SQuAD-style token precision, recall and F1.
/// </summary>
internal sealed class GroundingEvaluator(TimeProvider time, IEmbeddingGenerator<string, Embedding<float>> embedder, string? keptDataDir = null)
{
    public async Task<GroundingEvalResult> RunAsync(IReadOnlyList<EvalDocument> documents, IReadOnlyList<EvalQuery> turns, CancellationToken ct,
        IProgress<(int Done, int Total)>? progress = null, OfflineDrafter.SentencePick? pick = null)
    {
        await using var built = await EvalIndex.BuildAsync(documents, embedder, time, keptDataDir, progress, ct);
        // As in the product: sentences are scored by meaning only with a neural encoder.
        var relevance = embedder is Ai.Encoders.SentenceEmbeddingGenerator ? new SentenceRelevance(embedder) : null;
        var k = new SidecarOptions().Knowledge.TopK;
        double precision = 0, recall = 0, f1 = 0, words = 0;
        var drafted = 0;
        foreach (var turn in turns)
        {
            var text = Doc2DialFiles.QueryText(turn);
            var passages = await built.Index.RetrieveAsync(new RetrievalRequest(text, k), ct);
            var hits = passages.Select(p => p.Hit).ToList();
            var evidence = new RetrievalEvidence(
                passages.Where(p => p.DenseScore is not null).DistinctBy(p => p.Hit.ChunkId).ToDictionary(p => p.Hit.ChunkId, p => p.DenseScore!.Value), null) { Scale = built.Index.DenseScale };
            var ticket = new HelpdeskTicket("eval", turn.Id ?? "", "", turn.UserUtterance, "open", [], null, "web", null, null, "en", []);
            var scores = relevance is null ? null : await relevance.ScoreAsync(SentenceRelevance.QuestionOf(text), hits, ct);
            var draft = OfflineDrafter.Compose(ticket, QueryText.Terms(text), hits, evidence, scores, pick);
            if (draft.IsGap)
                continue;
            drafted++;
            var predicted = Tokens(string.Join(" ", draft.Quoted));
            var gold = Tokens(turn.GoldGroundingText ?? "");
            words += string.Join(" ", draft.Quoted).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            var (p, r, f) = Overlap(predicted, gold);
            precision += p;
            recall += r;
            f1 += f;
        }
        double n = Math.Max(1, turns.Count);
        return new GroundingEvalResult(turns.Count, drafted, precision / n, recall / n, f1 / n, drafted == 0 ? 0 : words / drafted, documents.Count, built.Chunks);
    }

    /// <summary>Precision, recall and F1 of the shared tokens, counted with multiplicity (as the SQuAD script does).</summary>
    internal static (double Precision, double Recall, double F1) Overlap(IReadOnlyList<string> predicted, IReadOnlyList<string> gold)
    {
        if (predicted.Count == 0 || gold.Count == 0)
            return (0, 0, 0);
        var counts = gold.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = 0;
        foreach (var token in predicted)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                common++;
            }
        }
        if (common == 0)
            return (0, 0, 0);
        var precision = (double)common / predicted.Count;
        var recall = (double)common / gold.Count;
        return (precision, recall, 2 * precision * recall / (precision + recall));
    }

    /// <summary>SQuAD normalisation: lower case, punctuation removed, the articles a/an/the dropped, split on white space.</summary>
    internal static IReadOnlyList<string> Tokens(string text)
    {
        var cleaned = new StringBuilder(text.Length);
        foreach (var ch in text.ToLowerInvariant())
        {
            if (!char.IsPunctuation(ch) && !char.IsSymbol(ch))
                cleaned.Append(ch);
        }
        return cleaned.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t is not ("a" or "an" or "the")).ToList();
    }
}
