using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Copilot.Guardrails;
using HelpdeskSidecar.Knowledge;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Copilot.Drafting;

/// <summary>The model's structured draft, as parsed and range-checked from its JSON answer.</summary>
internal sealed record ModelDraft(string Reply, IReadOnlyList<int> Citations, double Confidence, bool NeedsHuman, string? HumanReason);

/// <summary>
/// Drafts with the configured chat model (prompt <see cref="PromptVersion"/>): the redacted ticket as delimited data,
/// the retrieved articles as numbered sources, a JSON-schema answer. The model has no authority: if it does not answer
/// (timeout, HTTP failure, invalid JSON, schema mismatch) the offline drafter answers and the note says so; an answer
/// below <see cref="LlmOptions.MinConfidence"/> becomes a knowledge gap; <c>needs_human</c> becomes an escalation; every
/// other answer still goes through the pipeline's guardrails (citations, URLs, PII, banned phrases) before anyone sees it.
/// </summary>
internal sealed partial class LlmDrafter(StructuredChat chat, IOptions<LlmOptions> options) : IDraftWriter
{
    public const int MaxSources = 5;
    public const int MaxSourceChars = 2000;
    public const int MaxHumanReasonChars = 200;

    internal sealed record NumberedSource(CitedSource Source, string Text);

    public async Task<DraftOutcome> DraftAsync(DraftInput input, ModelLedger ledger, CancellationToken ct)
    {
        // Nothing retrieved: nothing to stand on, so no tokens are spent to say so.
        if (input.Hits.Count == 0)
            return new DraftOutcome(OfflineDrafter.Compose(input.RedactedTicket, input.Terms, input.Hits, input.Evidence), OfflineDrafter.Version);

        var sources = Number(input.Hits);
        // With the customer's history in the prompt, its section's version is recorded beside the draft prompt's.
        var version = History.HistoryText.PromptSection(input.History) is null ? PromptVersion : $"{PromptVersion}+{History.HistoryText.PromptVersion}";
        var question = new ModelQuestion("draft", version, SystemPrompt, UserPrompt(input, sources), "support_draft", SchemaElement);
        var answer = await chat.AskAsync(question, Parse, ledger, ct);
        if (answer.Value is not { } model)
        {
            var offline = OfflineDrafter.Compose(input.RedactedTicket, input.Terms, input.Hits, input.Evidence);
            return new DraftOutcome(offline, OfflineDrafter.Version) { Notice = $"Drafted offline: the model did not answer ({answer.Failure})." };
        }

        var given = sources.Select(s => s.Source).ToList();
        var drafter = $"llm:{PromptVersion}";
        if (model.NeedsHuman)
            return new DraftOutcome(new Draft(null, given, model.Confidence, "The model says a human must take over."), drafter)
            {
                HumanReason = SafeReason(model.HumanReason, input.Hits),
            };
        var minimum = options.Value.MinConfidence;
        if (model.Confidence < minimum || string.IsNullOrWhiteSpace(model.Reply))
            return new DraftOutcome(new Draft(null, given, model.Confidence,
                FormattableString.Invariant($"The model's confidence {model.Confidence:0.00} is below {minimum:0.00}: no confident answer in the sources.")), drafter);

        var inline = InlineCitation().Matches(model.Reply).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var used = model.Citations.Concat(inline).ToHashSet();
        var cited = given.Where(s => used.Contains(s.Number)).ToList();
        var modelName = ledger.Calls.LastOrDefault()?.Model ?? options.Value.ChatModel;
        return new DraftOutcome(new Draft(model.Reply.Trim(), cited, model.Confidence, $"Written by the model from {cited.Count} of {given.Count} sources."), drafter)
        {
            DeclaredCitations = model.Citations,
            Header = $"HelpdeskSidecar suggested reply, written by a language model ({modelName}, prompt {PromptVersion}) from the numbered sources below.\nReview it before you send it.",
        };
    }

    /// <summary>One source per article, best first, its passages in document order, clipped.</summary>
    internal static IReadOnlyList<NumberedSource> Number(IReadOnlyList<KnowledgeHit> hits) => hits
        .GroupBy(h => h.ArticleId)
        .Select(g => (Best: g.MaxBy(h => h.Score)!, Text: string.Join("\n", g.OrderBy(h => h.ChunkId).Select(h => h.Text)),
            Matched: (IReadOnlyList<string>)g.SelectMany(h => h.MatchedTerms).Distinct().ToList()))
        .OrderByDescending(a => a.Best.Score)
        .Take(MaxSources)
        .Select((a, i) => new NumberedSource(
            new CitedSource(i + 1, a.Best.ArticleId, a.Best.Title, a.Best.Url, a.Best.HeadingPath, a.Best.Score, a.Matched),
            a.Text.Length <= MaxSourceChars ? a.Text : a.Text[..MaxSourceChars] + "…"))
        .ToList();

    internal static ModelDraft Parse(JsonElement json)
    {
        var reply = json.TryGetProperty("reply", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()!
            : throw new ModelAnswerException("'reply' must be a string");
        if (!json.TryGetProperty("citations", out var c) || c.ValueKind != JsonValueKind.Array)
            throw new ModelAnswerException("'citations' must be an array of integers");
        var citations = c.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var n) ? n
            : throw new ModelAnswerException("'citations' must be an array of integers")).ToList();
        var confidence = json.TryGetProperty("confidence", out var f) && f.ValueKind == JsonValueKind.Number && f.GetDouble() is >= 0 and <= 1 ? f.GetDouble()
            : throw new ModelAnswerException("'confidence' must be a number from 0 to 1");
        var needsHuman = json.TryGetProperty("needs_human", out var h) && h.ValueKind is JsonValueKind.True or JsonValueKind.False ? h.GetBoolean()
            : throw new ModelAnswerException("'needs_human' must be a boolean");
        string? reason = json.TryGetProperty("human_reason", out var why) ? why.ValueKind switch
        {
            JsonValueKind.String => why.GetString(),
            JsonValueKind.Null => null,
            _ => throw new ModelAnswerException("'human_reason' must be a string or null"),
        } : throw new ModelAnswerException("'human_reason' is required");
        return new ModelDraft(reply, citations, Math.Round(confidence, 3), needsHuman, reason);
    }

    /// <summary>The model's reason goes into an internal note: clipped, and replaced if it carries PII or an invented URL.</summary>
    private static string SafeReason(string? reason, IReadOnlyList<KnowledgeHit> hits)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return "The model says a human must take over (it gave no reason).";
        var clipped = reason.Trim().Length <= MaxHumanReasonChars ? reason.Trim() : reason.Trim()[..MaxHumanReasonChars] + "…";
        var probe = new Draft(clipped, [], 0, "");
        return DraftGuardrails.Pii(clipped).Passed && DraftGuardrails.Urls(clipped, probe, hits).Passed
            ? clipped
            : "The model says a human must take over (its reason was withheld by the PII/URL guardrails).";
    }

    [GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial Regex InlineCitation();
}
