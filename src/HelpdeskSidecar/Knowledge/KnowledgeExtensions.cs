namespace HelpdeskSidecar.Knowledge;

internal static class KnowledgeExtensions
{
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KnowledgeIndex>();
        builder.Services.AddSingleton<KnowledgeImporter>();
        return builder;
    }
}
