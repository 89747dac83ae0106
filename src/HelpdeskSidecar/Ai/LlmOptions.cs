namespace HelpdeskSidecar.Ai;

/// <summary><c>Sidecar:Llm</c>: an OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio).</summary>
public sealed class LlmOptions
{
    /// <summary>Informational (OpenAI, Ollama, …); every provider is spoken to through the OpenAI wire format.</summary>
    public string Provider { get; set; } = "OpenAI";

    /// <summary>e.g. http://localhost:11434/v1; unset means api.openai.com.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Never logged.</summary>
    public string? ApiKey { get; set; }

    public string? ChatModel { get; set; }

    /// <summary>When set, this model replaces the offline embedder.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>Texts per embeddings request.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;
}
