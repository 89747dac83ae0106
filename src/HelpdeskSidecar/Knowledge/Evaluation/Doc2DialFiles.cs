using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Knowledge.Evaluation;

/// <summary>A document in the doc2dial layout (<c>docs.jsonl</c>).</summary>
internal sealed record EvalDocument(
    [property: JsonPropertyName("doc_id")] string DocId,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("text")] string Text);

internal sealed record EvalTurn(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("text")] string Text);

/// <summary>A user turn in the doc2dial layout (<c>turns*.jsonl</c>): the dialogue so far and the document it is grounded in.</summary>
internal sealed record EvalQuery(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("dial_id")] string? DialId,
    [property: JsonPropertyName("gold_doc_id")] string GoldDocId,
    [property: JsonPropertyName("user_utterance")] string UserUtterance,
    [property: JsonPropertyName("history")] IReadOnlyList<EvalTurn>? History)
{
    /// <summary>The document text the agent's answer was grounded in (<c>eval grounding</c>).</summary>
    [JsonPropertyName("gold_grounding_text")]
    public string? GoldGroundingText { get; init; }
}

/// <summary>Which turns to evaluate: all, or one side of a fixed, seeded split by dialogue (so no dialogue is on both sides).</summary>
internal enum EvalSlice
{
    All,
    Tune,
    Holdout,
}

internal static class Doc2DialFiles
{
    /// <summary>Share of dialogues in the tuning slice.</summary>
    public const int TunePercent = 30;

    /// <summary>
    /// One object a line; blank lines are skipped. <paramref name="missing"/> names a required field a line lacks (null
    /// when it has them all), so a file in the wrong layout is refused with its line instead of scored as misses.
    /// </summary>
    public static async Task<List<T>> ReadJsonLinesAsync<T>(string path, Func<T, string?> missing, CancellationToken ct)
    {
        var items = new List<T>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                var item = JsonSerializer.Deserialize<T>(line) ?? throw new JsonException("null");
                if (missing(item) is { } field)
                    throw new InvalidDataException($"{Path.GetFileName(path)} line {number}: '{field}' is missing or empty");
                items.Add(item);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} line {number}: {ex.Message}", ex);
            }
        }
        return items;
    }

    public static string? MissingField(EvalDocument document) =>
        string.IsNullOrWhiteSpace(document.DocId) ? "doc_id" : document.Text is null ? "text" : null;

    public static string? MissingField(EvalQuery query) =>
        string.IsNullOrWhiteSpace(query.GoldDocId) ? "gold_doc_id" : string.IsNullOrWhiteSpace(query.UserUtterance) ? "user_utterance" : null;

    /// <summary>
    /// A dialogue's side of the split: SHA-256 of seed and dialogue id, so it is stable across machines and runs,
    /// and turns of one dialogue (which share their document) never straddle the split.
    /// </summary>
    public static bool InSlice(EvalQuery query, EvalSlice slice, int seed)
    {
        if (slice == EvalSlice.All)
            return true;
        var key = query.DialId ?? query.Id ?? query.UserUtterance;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{key}"));
        var tune = BitConverter.ToUInt32(hash, 0) % 100 < TunePercent;
        return slice == EvalSlice.Tune ? tune : !tune;
    }

    /// <summary>
    /// The query text: the newest user turn first, then the dialogue backwards (agent turns too: they name what the
    /// document says), so the term cap keeps the most recent context.
    /// </summary>
    public static string QueryText(EvalQuery query) =>
        string.Join("\n", (query.History ?? []).Reverse().Select(t => t?.Text ?? "").Prepend(query.UserUtterance));
}
