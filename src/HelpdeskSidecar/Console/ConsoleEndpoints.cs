using System.Reflection;
using HelpdeskSidecar.Access;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// The web console under <c>/console</c>: server-rendered pages, one stylesheet and one script from the assembly.
/// Signed-out visitors are sent to the login page; each page asks for the role it needs.
/// (Namespace <c>WebConsole</c>, not <c>Console</c>, so <c>Console.WriteLine</c> keeps meaning System.Console.)
/// </summary>
internal static class ConsoleEndpoints
{
    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<KnowledgeSyncRunner>();
        builder.Services.TryAddSingleton<NewTokenNotice>();
        return builder;
    }

    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").RequireAuthorization(AccessPolicies.SignedIn).ExcludeFromDescription();
        console.MapGet("/assets/{file}", Asset).AllowAnonymous();
        LoginPages.Map(console);
        OverviewPage.Map(console);
        SuggestionPages.Map(console);
        TaggingPage.Map(console);
        RoutingPage.Map(console);
        PolicyPage.Map(console);
        KnowledgePage.Map(console);
        KnowledgeBrowsePage.Map(console);    // articles: search, citations; one article with its chunks
        KnowledgeArticlePage.Map(console);
        KnowledgeTryPage.Map(console);       // try a question: what retrieval returns and why
        ProposalsPage.Map(console);
        ReportsPage.Map(console);
        ResolutionPage.Map(console);
        ThemesPage.Map(console);
        AccessPage.Map(console);
        HealthPage.Map(console);
        return app;
    }

    private static IResult Asset(string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("console/" + file);
        if (stream is null)
            return TypedResults.NotFound();
        return TypedResults.Stream(stream, type);
    }
}
