using System.Collections.Concurrent;
using System.Numerics.Tensors;
using HelpdeskSidecar.Ai.Encoders;
using HelpdeskSidecar.Knowledge;
using Microsoft.Extensions.AI;

namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>
/// How well each candidate sentence answers the question, by the sentence encoder: cosine of the question (embedded as
/// a query) and the sentence (as a passage). Sentence vectors are kept in a bounded cache, since the same articles'
/// sentences come back ticket after ticket.
/// </summary>
internal sealed class SentenceRelevance(IEmbeddingGenerator<string, Embedding<float>> embedder)
{
    /// <summary>Sentence vectors kept (384 floats each: about 15 MB when full); the cache is emptied when it fills.</summary>
    public const int CacheSize = 10_000;

    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);

    /// <summary>Cosine per distinct sentence of the passages; empty when there is no question or nothing to score.</summary>
    public async Task<IReadOnlyDictionary<string, double>> ScoreAsync(string question, IEnumerable<KnowledgeHit> hits, CancellationToken ct)
    {
        var sentences = hits.SelectMany(h => OfflineDrafter.Sentences(h.Text)).Distinct(StringComparer.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(question) || sentences.Count == 0)
            return new Dictionary<string, double>();
        var q = (await embedder.GenerateAsync([question], EmbeddingInput.Query, ct))[0].Vector.ToArray();
        var missing = sentences.Where(s => !_cache.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            var vectors = await embedder.GenerateAsync(missing, cancellationToken: ct);
            if (_cache.Count + missing.Count > CacheSize)
                _cache.Clear();
            for (var i = 0; i < missing.Count; i++)
                _cache[missing[i]] = vectors[i].Vector.ToArray();
        }
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            if (_cache.TryGetValue(sentence, out var v) && v.Length == q.Length)
                scores[sentence] = TensorPrimitives.CosineSimilarity(q, v);
        }
        return scores;
    }

    /// <summary>The question the sentences should answer: the newest message of the query text (messages come newest first).</summary>
    public static string QuestionOf(string queryText) =>
        queryText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
