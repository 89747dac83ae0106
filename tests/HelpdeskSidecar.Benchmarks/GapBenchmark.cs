using System.Globalization;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Knowledge.Evaluation;
using HelpdeskSidecar.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Benchmarks;

/// <summary>
/// <c>gaps-doc2dial</c>: does the offline drafter's confidence tell answerable questions from off-topic ones? The
/// index holds doc2dial's <c>dmv</c> and <c>va</c> documents; the first user turn of each dialogue is a question, on
/// topic when its dialogue is from those two domains, off topic when it is from <c>ssa</c> or <c>studentaid</c> (no
/// document of theirs is indexed, so nothing really answers it). Dialogues are split 50/50 into a tuning and a holdout
/// slice by a seeded shuffle (seed 42). On the tuning slice it picks the highest threshold that still drafts for 90% of
/// the on-topic questions; the holdout reports that threshold, the shipped one (<see cref="OfflineDrafter.MinConfidence"/>)
/// and the rule before issue 13. No classifier here: the agreement part is left out.
/// Set <c>GAPS_DUMP=file</c> to write one line per question (slice, on topic, confidence and its parts).
/// </summary>
internal static class GapBenchmark
{
    private static readonly string[] Indexed = ["dmv", "va"];

    public static async Task<string> RunAsync()
    {
        var root = Path.Combine(IntentBenchmarks.Datasets(), "doc2dial");
        var documents = await Doc2DialFiles.ReadJsonLinesAsync<Doc>(Path.Combine(root, "docs.jsonl"), _ => null, CancellationToken.None);
        var turns = (await Doc2DialFiles.ReadJsonLinesAsync<Turn>(Path.Combine(root, "turns_dev.jsonl"), _ => null, CancellationToken.None))
            .Where(t => t.TurnId == 1).ToList();
        var dialogues = turns.Select(t => t.DialId).Distinct().Order(StringComparer.Ordinal).ToArray();
        new Random(42).Shuffle(dialogues);
        var tune = dialogues.Take(dialogues.Length / 2).ToHashSet();

        var dataDir = Path.Combine(Path.GetTempPath(), "sidecar-gaps", Guid.NewGuid().ToString("N"));
        var rows = new List<(bool Tune, bool OnTopic, Draft Draft, bool DraftedBefore)>();
        try
        {
            var database = new Database(Options.Create(new SidecarOptions { DataDir = dataDir }));
            // The product's default encoder (arctic-xs), whose cosine scale (SentenceEncoderModel.Scale) was fitted here.
            var index = new KnowledgeIndex(database, TimeProvider.System, HelpdeskSidecar.Ai.Encoders.EncoderChoice.CreateOffline(HelpdeskSidecar.Ai.Encoders.EncoderChoice.Default));
            foreach (var d in documents.Where(d => Indexed.Contains(d.Domain)))
                await index.UpsertAsync(new KnowledgeArticle("eval", d.DocId, d.Title, null, [new ArticleSection(d.Title, d.Text)]), CancellationToken.None);
            await index.RefitEmbeddingsAsync(CancellationToken.None);
            var k = new SidecarOptions().Knowledge.TopK;
            foreach (var turn in turns)
            {
                var passages = await index.RetrieveAsync(new RetrievalRequest(turn.UserUtterance, k), CancellationToken.None);
                var evidence = new RetrievalEvidence(
                    passages.Where(p => p.DenseScore is not null).DistinctBy(p => p.Hit.ChunkId).ToDictionary(p => p.Hit.ChunkId, p => p.DenseScore!.Value), null) { Scale = index.DenseScale };
                var ticket = new HelpdeskTicket("eval", turn.Id, "", turn.UserUtterance, "open", [], null, "web", "u", null, "en", []);
                var draft = OfflineDrafter.Compose(ticket, QueryText.Terms(turn.UserUtterance), passages.Select(p => p.Hit).ToList(), evidence);
                rows.Add((tune.Contains(turn.DialId), Indexed.Contains(turn.Domain), draft, DraftedBefore(QueryText.Terms(turn.UserUtterance), passages)));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataDir, recursive: true); }
            catch (IOException) { /* best effort */ }
        }

        if (Environment.GetEnvironmentVariable("GAPS_DUMP") is { Length: > 0 } dump)
            await File.WriteAllLinesAsync(dump, rows.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{(r.Tune ? "tune" : "holdout")}\t{(r.OnTopic ? 1 : 0)}\t{r.Draft.Confidence}\t{r.Draft.Evidence?.Retrieval}\t{r.Draft.Evidence?.Coverage}\t{(r.Draft.IsGap ? "gap" : "draft")}")));

        // A question the drafter refused for another reason than its confidence (no article shares two terms, no sentence
        // to quote) is a gap whatever the threshold.
        static bool Drafts(Draft d, double threshold) => d.Confidence >= threshold
            && (d.Reply is not null || d.Reason.StartsWith("The cited passages do not answer", StringComparison.Ordinal));
        static (double OnDraft, double OffGap) Rates(List<(bool Tune, bool OnTopic, Draft Draft, bool DraftedBefore)> slice, double threshold) =>
            (slice.Where(r => r.OnTopic).Average(r => Drafts(r.Draft, threshold) ? 1.0 : 0),
             slice.Where(r => !r.OnTopic).Average(r => Drafts(r.Draft, threshold) ? 0.0 : 1));
        var tuning = rows.Where(r => r.Tune).ToList();
        var holdout = rows.Where(r => !r.Tune).ToList();
        // The shipped rule: the highest threshold that still drafts for 90% of the answerable tuning questions.
        var best = Enumerable.Range(0, 101).Select(i => i / 100.0)
            .Select(th => (Threshold: th, Rates: Rates(tuning, th)))
            .Where(x => x.Rates.OnDraft >= 0.9)
            .MaxBy(x => x.Threshold);
        var result = new JsonObject
        {
            ["bench"] = "gaps-doc2dial",
            ["indexed_domains"] = string.Join("+", Indexed),
            ["tune_on_topic"] = tuning.Count(r => r.OnTopic),
            ["tune_off_topic"] = tuning.Count(r => !r.OnTopic),
            ["holdout_on_topic"] = holdout.Count(r => r.OnTopic),
            ["holdout_off_topic"] = holdout.Count(r => !r.OnTopic),
            ["tuned_threshold"] = best.Threshold,
            ["tune_on_topic_draft_rate"] = Math.Round(best.Rates.OnDraft, 4),
            ["tune_off_topic_gap_rate"] = Math.Round(best.Rates.OffGap, 4),
        };
        foreach (var (name, threshold) in new[] { ("tuned", best.Threshold), ("shipped", OfflineDrafter.MinConfidence) })
        {
            var (onDraft, offGap) = Rates(holdout, threshold);
            result[$"holdout_{name}_on_topic_draft_rate"] = Math.Round(onDraft, 4);
            result[$"holdout_{name}_off_topic_gap_rate"] = Math.Round(offGap, 4);
        }
        var holdoutOn = holdout.Where(r => r.OnTopic).ToList();
        var holdoutOff = holdout.Where(r => !r.OnTopic).ToList();
        result["holdout_before_on_topic_draft_rate"] = Math.Round(holdoutOn.Average(r => r.DraftedBefore ? 1.0 : 0), 4);
        result["holdout_before_off_topic_gap_rate"] = Math.Round(holdoutOff.Average(r => r.DraftedBefore ? 0.0 : 1), 4);
        return result.ToJsonString();
    }

    /// <summary>
    /// The rule before issue 13, for comparison: a draft when the best-scoring article sharing two or more terms with the
    /// question holds at least 0.35 / 2 of its terms (confidence = 2 × share, capped at 1; sentence picking not replayed).
    /// </summary>
    private static bool DraftedBefore(IReadOnlyList<string> terms, IReadOnlyList<RetrievedPassage> passages)
    {
        var best = passages.GroupBy(p => p.Hit.ArticleId)
            .Select(g => (Score: g.Max(p => p.Hit.Score), Matched: g.SelectMany(p => p.Hit.MatchedTerms).Distinct().Count()))
            .OrderByDescending(a => a.Score)
            .FirstOrDefault(a => a.Matched >= Math.Min(OfflineDrafter.MinMatchedTerms, terms.Count));
        return best.Matched > 0 && Math.Min(1, 2.0 * best.Matched / Math.Max(1, terms.Count)) >= 0.35;
    }

    private sealed record Doc(
        [property: System.Text.Json.Serialization.JsonPropertyName("doc_id")] string DocId,
        [property: System.Text.Json.Serialization.JsonPropertyName("domain")] string Domain,
        [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text);

    private sealed record Turn(
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("dial_id")] string DialId,
        [property: System.Text.Json.Serialization.JsonPropertyName("turn_id")] int TurnId,
        [property: System.Text.Json.Serialization.JsonPropertyName("domain")] string Domain,
        [property: System.Text.Json.Serialization.JsonPropertyName("user_utterance")] string UserUtterance);
}
