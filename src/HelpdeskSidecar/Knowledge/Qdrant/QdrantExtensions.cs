using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Knowledge.Qdrant;

internal static class QdrantExtensions
{
    /// <summary>When <c>Sidecar:Knowledge:Index</c> is Qdrant: the REST client (api-key header, resilience) and the external index.</summary>
    public static IHostApplicationBuilder AddQdrantIndex(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSidecarOptions();
        if (!string.Equals(options.Knowledge.Index, "Qdrant", StringComparison.OrdinalIgnoreCase))
            return builder;
        builder.Services.AddOptions<QdrantOptions>().BindConfiguration("Sidecar:Knowledge:Qdrant");
        builder.Services.AddHttpClient<QdrantClient>((sp, http) =>
            {
                var qdrant = sp.GetRequiredService<IOptions<QdrantOptions>>().Value;
                ConfigureHttpClient(http, qdrant);
            })
            .AddHttpMessageHandler(sp => new ResilienceHandler(sp.GetRequiredService<IOptions<QdrantOptions>>().Value.Timeout, sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<IExternalVectorIndex, QdrantVectorIndex>();
        return builder;
    }

    public static void ConfigureHttpClient(HttpClient http, QdrantOptions qdrant)
    {
        var url = qdrant.Url ?? throw new InvalidOperationException("'Sidecar:Knowledge:Qdrant:Url' is required when 'Sidecar:Knowledge:Index' is Qdrant.");
        http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
        if (!string.IsNullOrEmpty(qdrant.ApiKey))
            http.DefaultRequestHeaders.Add("api-key", qdrant.ApiKey);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("HelpdeskSidecar/0.1");
    }
}
