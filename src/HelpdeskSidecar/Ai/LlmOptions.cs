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

    /// <summary>When set, drafts, long-thread summaries and classification are asked of this model (offline fallback on any failure).</summary>
    public string? ChatModel { get; set; }

    /// <summary>When set, this model replaces the offline embedder.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>Texts per embeddings request.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>How long one chat attempt may take; a timed-out attempt is not repeated, the offline path answers instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a chat call after 429/5xx or a refused connection (a <c>Retry-After</c> over 5 s is not waited out).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Price in USD per million input (prompt) tokens, for the cost in each suggestion's trace; 0 when unknown or free.</summary>
    public decimal InputCostPerMillionTokens { get; set; }

    /// <summary>Price in USD per million output (completion) tokens.</summary>
    public decimal OutputCostPerMillionTokens { get; set; }

    /// <summary>A model draft whose own confidence is below this gets no draft: a knowledge-gap note lists the closest sources.</summary>
    public double MinConfidence { get; set; } = 0.5;

    /// <summary>Upper bound on the tokens of one answer.</summary>
    public int MaxOutputTokens { get; set; } = 1024;

    public bool ChatEnabled => !string.IsNullOrWhiteSpace(ChatModel);

    public decimal CostUsd(long inputTokens, long outputTokens) =>
        Math.Round((inputTokens * InputCostPerMillionTokens + outputTokens * OutputCostPerMillionTokens) / 1_000_000m, 6);
}
