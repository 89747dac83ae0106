using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ai;

internal static class AiExtensions
{
    /// <summary>Per-attempt timeout for embedding calls; the resilience pipeline retries around it.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(60);

    private const string ChatClient = "openai-chat";
    private const string EmbeddingsClient = "openai-embeddings";

    /// <summary>
    /// With <c>Sidecar:Llm:EmbeddingModel</c> set (and <c>Sidecar:Knowledge:Encoder</c> unset or <c>openai</c>), an
    /// OpenAI-compatible embedder replaces the offline one (AddKnowledge registers the offline embedder with TryAdd, so
    /// this must run first). With <c>Sidecar:Llm:ChatModel</c> set, an
    /// <see cref="IChatClient"/> and <see cref="StructuredChat"/> are registered; AddCopilot then picks the model-backed
    /// drafter, summarizer and classifier. Unset, nothing is registered here and everything runs offline.
    /// </summary>
    public static IHostApplicationBuilder AddAi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LlmOptions>().BindConfiguration("Sidecar:Llm");
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Sidecar:Llm:EmbeddingModel"])
            && Encoders.EncoderChoice.Resolve(builder.Configuration) == Encoders.EncoderChoice.OpenAi)
        {
            builder.Services.AddHttpClient(EmbeddingsClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
                .AddOutboundResilience(_ => new OutboundLimits(AttemptTimeout))
                .AddHttpMessageHandler(() => new EmbeddingsInIndexOrderHandler());
            builder.Services.AddSingleton(sp => OpenAiModels.Embeddings(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(EmbeddingsClient),
                sp.GetRequiredService<IOptions<LlmOptions>>().Value,
                sp.GetRequiredService<ILoggerFactory>()));
        }
        if (IsChatConfigured(builder.Configuration))
        {
            builder.Services.AddHttpClient(ChatClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
                .AddOutboundResilience(sp =>
                {
                    var llm = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
                    return new OutboundLimits(llm.Timeout, llm.MaxRetries, PostsAreSafe: true);
                });
            builder.Services.AddSingleton(sp => OpenAiModels.Chat(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(ChatClient),
                sp.GetRequiredService<IOptions<LlmOptions>>().Value,
                sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddSingleton<StructuredChat>();
        }
        return builder;
    }

    public static bool IsChatConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Sidecar:Llm:ChatModel"]);
}
