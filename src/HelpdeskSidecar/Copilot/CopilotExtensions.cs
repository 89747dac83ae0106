using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Copilot.Drafting;
using HelpdeskSidecar.Copilot.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Copilot;

internal static class CopilotExtensions
{
    /// <summary>
    /// With <c>Sidecar:Llm:ChatModel</c> set (AddAi registered the chat client), the model drafts, summarizes long threads
    /// and classifies, each with the offline path as its fallback; unset, the offline drafter, extractive summarizer and
    /// trained classifier do it all.
    /// </summary>
    public static IHostApplicationBuilder AddCopilot(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<CopilotPipeline>();
        builder.Services.TryAddSingleton<HistoryStore>();
        builder.Services.TryAddSingleton<ClassifierHost>();
        builder.Services.TryAddSingleton<TicketReader>();
        if (AiExtensions.IsChatConfigured(builder.Configuration))
        {
            builder.Services.TryAddSingleton<IDraftWriter, LlmDrafter>();
            builder.Services.TryAddSingleton<IThreadSummarizer, LlmThreadSummarizer>();
            builder.Services.TryAddSingleton<ITicketModelReader, LlmTicketClassifier>();
            builder.Services.TryAddSingleton<Language.IQueryTranslator, Language.LlmQueryTranslator>();
        }
        // The offline drafter scores sentences against the question with the neural encoder when it is the embedder (not
        // with the hashed one, too weak for single sentences, nor with a paid endpoint).
        builder.Services.TryAddSingleton<IDraftWriter>(sp => new OfflineDraftWriter(
            sp.GetService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>() is Ai.Encoders.SentenceEmbeddingGenerator encoder
                ? new SentenceRelevance(encoder) : null));
        builder.Services.TryAddSingleton<IThreadSummarizer, OfflineThreadSummarizer>();
        builder.Services.TryAddSingleton<ITicketModelReader, NoModelReader>();
        builder.Services.TryAddSingleton<Language.IQueryTranslator, Language.NoQueryTranslator>();
        builder.AddPolicy();
        History.HistoryExtensions.AddCustomerHistory(builder);
        return builder;
    }
}
