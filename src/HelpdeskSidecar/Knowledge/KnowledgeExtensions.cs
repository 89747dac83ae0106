using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Knowledge.Qdrant;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Knowledge;

internal static class KnowledgeExtensions
{
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder)
    {
        // Sidecar:Knowledge:Encoder: an ONNX sentence encoder by default, or the hashed one; "openai" is registered by
        // AddAi, which runs first (hence TryAdd).
        var encoder = Ai.Encoders.EncoderChoice.Resolve(builder.Configuration);
        if (encoder != Ai.Encoders.EncoderChoice.OpenAi && Ai.Encoders.EncoderChoice.IsKnown(encoder))
            builder.Services.TryAddSingleton(_ => Ai.Encoders.EncoderChoice.CreateOffline(encoder));
        builder.Services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>, OfflineEmbeddingGenerator>();
        builder.AddQdrantIndex();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<KnowledgeIndex>(sp,
            sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()).UseExternal(sp.GetService<Qdrant.IExternalVectorIndex>()));
        builder.Services.AddSingleton<KnowledgeImporter>();
        builder.Services.TryAddSingleton<Sync.SyncStateStore>();
        builder.Services.TryAddSingleton<Sync.KnowledgeSync>();
        builder.Services.TryAddSingleton<Sync.PastTicketImporter>();
        builder.Services.TryAddSingleton<ArticleCatalog>();  // the console's and /api/knowledge's read side
        builder.Services.TryAddSingleton<KnowledgeTrial>();  // "try a question"
        return builder;
    }
}
