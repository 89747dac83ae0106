using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Knowledge.Qdrant;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Knowledge;

internal static class KnowledgeExtensions
{
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder)
    {
        // The offline embedder is the default; an OpenAI-compatible one registered earlier wins (TryAdd).
        builder.Services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>, OfflineEmbeddingGenerator>();
        builder.AddQdrantIndex();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<KnowledgeIndex>(sp,
            sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()).UseExternal(sp.GetService<Qdrant.IExternalVectorIndex>()));
        builder.Services.AddSingleton<KnowledgeImporter>();
        builder.Services.TryAddSingleton<Sync.SyncStateStore>();
        builder.Services.TryAddSingleton<Sync.KnowledgeSync>();
        builder.Services.TryAddSingleton<Sync.PastTicketImporter>();
        return builder;
    }
}
