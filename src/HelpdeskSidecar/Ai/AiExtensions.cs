using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Ai;

internal static class AiExtensions
{
    /// <summary>Per-attempt timeout for model calls; the resilience pipeline retries around it.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// With <c>Sidecar:Llm:EmbeddingModel</c> set, an OpenAI-compatible embedder replaces the offline one (AddKnowledge
    /// registers the offline embedder with TryAdd, so this must run first). Unset, nothing is registered here.
    /// </summary>
    public static IHostApplicationBuilder AddAi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LlmOptions>().BindConfiguration("Sidecar:Llm");
        if (string.IsNullOrWhiteSpace(builder.Configuration["Sidecar:Llm:EmbeddingModel"]))
            return builder;
        builder.Services.AddHttpClient(nameof(OpenAiEmbeddingGenerator), http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new ResilienceHandler(AttemptTimeout, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new OpenAiEmbeddingGenerator(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(OpenAiEmbeddingGenerator)),
            sp.GetRequiredService<IOptions<LlmOptions>>(),
            sp.GetRequiredService<ILogger<OpenAiEmbeddingGenerator>>()));
        return builder;
    }
}
