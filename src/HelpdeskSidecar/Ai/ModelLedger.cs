using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Ai;

/// <summary>One model call made for a suggestion: what for, with which prompt, what it cost, and why it failed if it did.</summary>
internal sealed record ModelCall(string Purpose, string PromptVersion, string Model, long InputTokens, long OutputTokens, double LatencyMs, string? Failure);

/// <summary>
/// The model calls made for one suggestion. The pipeline opens one per run and every model-backed step (classification,
/// summary, draft) records its call here, so the trace can sum tokens, cost and latency without each step knowing the others.
/// </summary>
internal sealed class ModelLedger
{
    private readonly List<ModelCall> _calls = [];
    private readonly List<string> _fallbacks = [];

    public IReadOnlyList<ModelCall> Calls { get { lock (_calls) return [.. _calls]; } }

    public void Record(ModelCall call)
    {
        lock (_calls)
        {
            _calls.Add(call);
            if (call.Failure is not null)
                _fallbacks.Add($"{call.Purpose}: {call.Failure}");
        }
    }

    /// <summary>A model answer that arrived but was not used (e.g. a guardrail withheld it), for the trace's fallback field.</summary>
    public void NoteFallback(string purpose, string reason)
    {
        lock (_calls)
            _fallbacks.Add($"{purpose}: {reason}");
    }

    /// <summary>Null when no model was asked anything for this suggestion.</summary>
    public ModelTrace? ToTrace(LlmOptions options)
    {
        lock (_calls)
        {
            if (_calls.Count == 0)
                return null;
            var input = _calls.Sum(c => c.InputTokens);
            var output = _calls.Sum(c => c.OutputTokens);
            return new ModelTrace(
                options.Provider,
                _calls[^1].Model,
                string.Join("+", _calls.Select(c => c.PromptVersion).Distinct()),
                _calls.Count,
                (int)input,
                (int)output,
                options.CostUsd(input, output),
                Math.Round(_calls.Sum(c => c.LatencyMs), 3),
                _fallbacks.Count == 0 ? null : string.Join("; ", _fallbacks));
        }
    }
}
