using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using SdkChatMessage = OpenAI.Chat.ChatMessage;
using SdkResponseFormat = OpenAI.Chat.ChatResponseFormat;

namespace HelpdeskSidecar.Ai;

/// <summary>
/// Chat completions from any OpenAI-compatible <c>/v1/chat/completions</c> endpoint through the OpenAI SDK, behind the
/// <see cref="IChatClient"/> seam. Text messages only (the copilot sends a system and a user message); a JSON schema in
/// <see cref="ChatOptions.ResponseFormat"/> becomes a strict <c>json_schema</c> response format. Usage comes back in
/// <see cref="ChatResponse.Usage"/>. Timeouts and retries live in the HttpClient's resilience handler (per attempt
/// <see cref="LlmOptions.Timeout"/>; 429/5xx retried, honouring <c>Retry-After</c> up to 5 s); the SDK's own retries are off.
/// </summary>
internal sealed partial class OpenAiChatClient : IChatClient
{
    private readonly ChatClient _client;
    private readonly LlmOptions _options;
    private readonly ILogger<OpenAiChatClient> _logger;
    private readonly ChatClientMetadata _metadata;

    public OpenAiChatClient(HttpClient http, IOptions<LlmOptions> options, ILogger<OpenAiChatClient> logger)
    {
        _options = options.Value;
        _logger = logger;
        var model = _options.ChatModel ?? throw new InvalidOperationException("'Sidecar:Llm:ChatModel' is required for the OpenAI chat client.");
        // The handler times each attempt out; this only bounds the whole call (attempts plus Retry-After waits).
        var networkTimeout = _options.Timeout * (_options.MaxRetries + 1) + TimeSpan.FromSeconds(5 * (_options.MaxRetries + 1));
        var clientOptions = OpenAiConnection.ClientOptions(http, _options, networkTimeout);
        _client = new ChatClient(model, OpenAiConnection.Credential(_options), clientOptions);
        _metadata = new ChatClientMetadata(_options.Provider, clientOptions.Endpoint, model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<MeaiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var completion = (await _client.CompleteChatAsync(messages.Select(ToSdk).ToList(), ToSdk(options), cancellationToken)).Value;
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        var usage = completion.Usage is { } u
            ? new UsageDetails { InputTokenCount = u.InputTokenCount, OutputTokenCount = u.OutputTokenCount, TotalTokenCount = u.TotalTokenCount }
            : null;
        LogCompleted(_logger, completion.Model ?? _options.ChatModel!, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, completion.FinishReason.ToString());
        return new ChatResponse(new MeaiChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = completion.FinishReason switch
            {
                OpenAI.Chat.ChatFinishReason.Stop => Microsoft.Extensions.AI.ChatFinishReason.Stop,
                OpenAI.Chat.ChatFinishReason.Length => Microsoft.Extensions.AI.ChatFinishReason.Length,
                OpenAI.Chat.ChatFinishReason.ContentFilter => Microsoft.Extensions.AI.ChatFinishReason.ContentFilter,
                _ => Microsoft.Extensions.AI.ChatFinishReason.ToolCalls,
            },
            Usage = usage,
            RawRepresentation = completion,
        };
    }

    /// <summary>Not streamed: the copilot validates a whole answer before anyone sees it, so one update carries it all.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<MeaiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the factory that made it.
    }

    private static SdkChatMessage ToSdk(MeaiChatMessage message)
    {
        var text = message.Text;
        if (message.Role == ChatRole.System)
            return new SystemChatMessage(text);
        if (message.Role == ChatRole.Assistant)
            return new AssistantChatMessage(text);
        if (message.Role == ChatRole.User)
            return new UserChatMessage(text);
        throw new NotSupportedException($"Role '{message.Role}' is not supported by the copilot's chat client.");
    }

    private ChatCompletionOptions ToSdk(ChatOptions? options)
    {
        var sdk = new ChatCompletionOptions
        {
            MaxOutputTokenCount = options?.MaxOutputTokens ?? _options.MaxOutputTokens,
            Temperature = options?.Temperature,
        };
        sdk.ResponseFormat = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } json => SdkResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "answer", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription, jsonSchemaIsStrict: true),
            ChatResponseFormatJson => SdkResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };
        return sdk;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chat completion from {Model}: {InputTokens} in, {OutputTokens} out, finish {FinishReason}")]
    private static partial void LogCompleted(ILogger logger, string model, long inputTokens, long outputTokens, string finishReason);
}
