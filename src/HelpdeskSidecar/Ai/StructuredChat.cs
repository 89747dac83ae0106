using System.ClientModel;
using System.Text.Json;
using HelpdeskSidecar.Copilot.Redaction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace HelpdeskSidecar.Ai;

/// <summary>One structured question to the model: a versioned prompt, the JSON schema the answer must follow.</summary>
internal sealed record ModelQuestion(string Purpose, string PromptVersion, string System, string User, string SchemaName, JsonElement Schema);

/// <summary>The parsed answer, or why there is none (<c>timeout</c>, <c>HTTP 500</c>, <c>invalid JSON</c>, a schema mismatch…).</summary>
internal sealed record ModelAnswer<T>(T? Value, string? Failure) where T : class
{
    public bool Succeeded => Value is not null;
}

/// <summary>An answer that is JSON but not what the schema asked for; the message names the field, never the content.</summary>
internal sealed class ModelAnswerException(string message) : Exception(message);

/// <summary>
/// Asks the chat model one structured question and never throws for the model's sake: every failure (HTTP, timeout,
/// refusal, invalid JSON, a schema mismatch found by the caller's parser) comes back as a reason, so the caller can
/// fall back to the offline path and say why. Each call, good or bad, goes into the suggestion's <see cref="ModelLedger"/>.
/// </summary>
internal sealed partial class StructuredChat(IChatClient chat, IOptions<LlmOptions> options, TimeProvider time, ILogger<StructuredChat> logger,
    IOutboundTextAudit? audit = null)
{
    public async Task<ModelAnswer<T>> AskAsync<T>(ModelQuestion question, Func<JsonElement, T> parse, ModelLedger ledger, CancellationToken ct) where T : class
    {
        audit?.Record($"model:{question.Purpose}", question.System + "\n" + question.User);
        var chatOptions = new ChatOptions
        {
            Temperature = 0,
            MaxOutputTokens = options.Value.MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(question.Schema, question.SchemaName),
        };
        var started = time.GetTimestamp();
        ChatResponse? response = null;
        string? failure;
        T? value = null;
        try
        {
            response = await chat.GetResponseAsync([new ChatMessage(ChatRole.System, question.System), new ChatMessage(ChatRole.User, question.User)], chatOptions, ct);
            (value, failure) = Parse(response, parse);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Classify(ex) is { } reason)
        {
            failure = reason;
        }
        var latency = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 3);
        var model = response?.ModelId ?? options.Value.ChatModel ?? "unknown";
        ledger.Record(new ModelCall(question.Purpose, question.PromptVersion, model,
            response?.Usage?.InputTokenCount ?? 0, response?.Usage?.OutputTokenCount ?? 0, latency, failure));
        if (failure is not null)
            LogFailed(question.Purpose, question.PromptVersion, failure);
        return new ModelAnswer<T>(failure is null ? value : null, failure);
    }

    private static (T? Value, string? Failure) Parse<T>(ChatResponse response, Func<JsonElement, T> parse) where T : class
    {
        if (response.FinishReason == ChatFinishReason.Length)
            return (null, "answer cut off at the token limit");
        if (response.FinishReason == ChatFinishReason.ContentFilter)
            return (null, "answer blocked by the provider's content filter");
        var text = response.Text.Trim();
        if (text.Length == 0)
            return (null, "empty answer");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (null, "invalid JSON");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, "schema mismatch: the answer is not a JSON object");
            try
            {
                return (parse(document.RootElement), null);
            }
            catch (ModelAnswerException ex)
            {
                return (null, $"schema mismatch: {ex.Message}");
            }
        }
    }

    /// <summary>Why a call failed, in words fit for a note; null for exceptions that are bugs of ours (they propagate).</summary>
    private static string? Classify(Exception ex) => ex switch
    {
        TimeoutRejectedException or TimeoutException or OperationCanceledException => "timeout",
        ClientResultException { Status: > 0 } http => $"HTTP {http.Status}",
        ClientResultException or HttpRequestException => "connection failed",
        Polly.CircuitBreaker.BrokenCircuitException => "circuit open after repeated failures",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model call for {Purpose} ({PromptVersion}) failed: {Reason}; the offline path answers")]
    private partial void LogFailed(string purpose, string promptVersion, string reason);
}
