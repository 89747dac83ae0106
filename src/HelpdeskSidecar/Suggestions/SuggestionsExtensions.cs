namespace HelpdeskSidecar.Suggestions;

internal static class SuggestionsExtensions
{
    public static IHostApplicationBuilder AddSuggestions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SuggestionStore>();
        return builder;
    }
}
