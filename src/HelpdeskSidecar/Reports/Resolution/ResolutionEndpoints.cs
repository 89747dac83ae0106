using System.Text;
using HelpdeskSidecar.Copilot.History;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Reports.Resolution;

/// <summary><c>GET /api/reports/resolution?from=&amp;to=&amp;by=intent|agent|brand|week&amp;format=json|csv</c>, for managers (and admins).</summary>
internal static class ResolutionEndpoints
{
    private static readonly string[] Formats = ["json", "csv"];

    public static IEndpointRouteBuilder MapResolutionReport(this IEndpointRouteBuilder api)
    {
        api.MapGet("/resolution", ResolutionAsync).WithName("GetVerifiedResolutionReport").RequireAuthorization(Access.AccessPolicies.Reports);
        return api;
    }

    /// <summary>The report for a request, as of now: what the API, the CLI and the console page all show.</summary>
    public static async Task<ResolutionReport> BuildAsync(IServiceProvider services, ReportRequest request, CancellationToken ct)
    {
        var facts = await services.GetRequiredService<IResolutionReportQuery>().DraftedTicketsAsync(request.From, request.To, ct);
        var labels = await services.GetRequiredService<Helpdesks.HelpdeskNames>().LabelsAsync(ct);
        var window = services.GetRequiredService<IOptions<ResolutionOptions>>().Value.Window;
        return ResolutionReport.Build(facts, request.From, request.To, request.By, services.GetRequiredService<TimeProvider>().GetUtcNow(), window, labels);
    }

    private static async Task<Results<JsonHttpResult<ResolutionReport>, FileContentHttpResult, ProblemHttpResult>> ResolutionAsync(
        HttpContext http, string? from, string? to, string? by, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats, ResolutionReport.Groupings);
        if (request is null)
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        var report = await BuildAsync(http.RequestServices, request, ct);
        if (request.Format != "csv")
            return TypedResults.Json(report, ResolutionJsonContext.Default.ResolutionReport);
        var window = request.From is null && request.To is null ? "" : $"_{AcceptanceReport.Day(request.From) ?? "all"}_{AcceptanceReport.Day(request.To) ?? "all"}";
        return TypedResults.File(Encoding.UTF8.GetBytes(report.ToCsv()), "text/csv; charset=utf-8", $"resolution-by-{request.By}{window}.csv");
    }
}
