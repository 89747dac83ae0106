using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace HelpdeskSidecar.Ai;

/// <summary>
/// The chat client and embedder for any OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio),
/// built from the OpenAI SDK with Microsoft.Extensions.AI's adapters and middleware: logging (never the messages; see
/// <see cref="NoTraceLogger"/>) and OpenTelemetry (<c>gen_ai.*</c> spans and metrics, no content). Requests go through our
/// HttpClient, whose resilience handler times out and retries, so the SDK's own retries are off.
/// </summary>
internal static class OpenAiModels
{
    /// <summary>The ActivitySource and Meter name of the model calls' telemetry.</summary>
    public const string TelemetrySource = "HelpdeskSidecar.Ai";

    /// <summary>
    /// A JSON schema in <see cref="ChatOptions.ResponseFormat"/> is sent as a strict <c>json_schema</c> response format;
    /// answers are capped at <see cref="LlmOptions.MaxOutputTokens"/> unless the call says otherwise.
    /// </summary>
    public static IChatClient Chat(HttpClient http, LlmOptions options, ILoggerFactory loggers)
    {
        var model = options.ChatModel ?? throw new InvalidOperationException("'Sidecar:Llm:ChatModel' is required for the chat client.");
        // The handler times each attempt out; this only bounds the whole call (attempts plus Retry-After waits).
        var networkTimeout = options.Timeout * (options.MaxRetries + 1) + TimeSpan.FromSeconds(5 * (options.MaxRetries + 1));
        return Client(http, options, networkTimeout).GetChatClient(model).AsIChatClient()
            .AsBuilder()
            .ConfigureOptions(chat =>
            {
                chat.MaxOutputTokens ??= options.MaxOutputTokens;
                chat.AdditionalProperties ??= [];
                chat.AdditionalProperties.TryAdd(StrictJsonSchema, true);
            })
            .Use(inner => new LoggingChatClient(inner, new NoTraceLogger(loggers.CreateLogger<LoggingChatClient>())))
            .UseOpenTelemetry(loggers, TelemetrySource)
            .Build();
    }

    /// <summary>Inputs go out in batches of <see cref="LlmOptions.EmbeddingBatchSize"/> (providers cap the inputs per request).</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(HttpClient http, LlmOptions options, ILoggerFactory loggers)
    {
        var model = options.EmbeddingModel ?? throw new InvalidOperationException("'Sidecar:Llm:EmbeddingModel' is required for the embedder.");
        return Client(http, options, networkTimeout: null).GetEmbeddingClient(model).AsIEmbeddingGenerator()
            .AsBuilder()
            // The query/passage marker is ours (Encoders.EmbeddingInput): an OpenAI endpoint rejects unknown arguments.
            .ConfigureOptions(o => o.AdditionalProperties?.Remove(Encoders.EmbeddingInput.PropertyName))
            .Use(inner => new BatchingEmbeddingGenerator(inner, options.EmbeddingBatchSize))
            .Use(inner => new LoggingEmbeddingGenerator<string, Embedding<float>>(inner, new NoTraceLogger(loggers.CreateLogger<LoggingEmbeddingGenerator<string, Embedding<float>>>())))
            .UseOpenTelemetry(loggers, TelemetrySource)
            .Build();
    }

    /// <summary>The key Microsoft.Extensions.AI.OpenAI reads to send <c>"strict": true</c> with a JSON schema.</summary>
    private const string StrictJsonSchema = "strict";

    private static OpenAIClient Client(HttpClient http, LlmOptions options, TimeSpan? networkTimeout)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (networkTimeout is { } timeout)
            clientOptions.NetworkTimeout = timeout;
        if (!string.IsNullOrWhiteSpace(options.BaseUrl))
            clientOptions.Endpoint = new Uri(options.BaseUrl);
        // Local servers (Ollama, vLLM) take no key, but the SDK needs a credential object: a placeholder then.
        return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), clientOptions);
    }
}
