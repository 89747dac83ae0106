using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Qdrant;

internal static class QdrantExtensions
{
    /// <summary>When <c>Sidecar:Knowledge:Index</c> is Qdrant: Qdrant.Client on one gRPC channel (api-key, resilience) and the external index.</summary>
    public static IHostApplicationBuilder AddQdrantIndex(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSidecarOptions();
        if (!string.Equals(options.Knowledge.Index, "Qdrant", StringComparison.OrdinalIgnoreCase))
            return builder;
        builder.Services.AddOptions<QdrantOptions>().BindConfiguration("Sidecar:Knowledge:Qdrant");
        builder.Services.TryAddSingleton(sp => new QdrantCalls(sp.GetRequiredService<IOptions<QdrantOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<IExternalVectorIndex, QdrantVectorIndex>();
        return builder;
    }
}
