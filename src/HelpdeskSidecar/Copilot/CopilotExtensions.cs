namespace HelpdeskSidecar.Copilot;

internal static class CopilotExtensions
{
    public static IHostApplicationBuilder AddCopilot(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<CopilotPipeline>();
        return builder;
    }
}
