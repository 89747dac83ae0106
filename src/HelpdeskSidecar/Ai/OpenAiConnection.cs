using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace HelpdeskSidecar.Ai;

/// <summary>
/// How the OpenAI SDK reaches the configured endpoint: through our HttpClient (whose resilience handler times out and
/// retries, so the SDK's own retries are off), at <see cref="LlmOptions.BaseUrl"/> when set, with the key.
/// </summary>
internal static class OpenAiConnection
{
    public static OpenAIClientOptions ClientOptions(HttpClient http, LlmOptions options, TimeSpan? networkTimeout = null)
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
        return clientOptions;
    }

    /// <summary>Local servers (Ollama, vLLM) take no key, but the SDK needs a credential object: a placeholder then.</summary>
    public static ApiKeyCredential Credential(LlmOptions options) =>
        new(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey);
}
