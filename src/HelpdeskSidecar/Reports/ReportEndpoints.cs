using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Reports;

internal static class ReportEndpoints
{
    private static readonly string[] Formats = ["json", "csv"];

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/acceptance", AcceptanceAsync).WithName("GetAcceptanceReport");
        api.MapGet("/tags", async (Suggestions.Tagging.TagOutcomes outcomes, CancellationToken ct) =>
            TypedResults.Json(new TagPrecisionReport(await outcomes.PrecisionAsync(ct)), ReportJsonContext.Default.TagPrecisionReport)).WithName("GetTagPrecisionReport");
        return app;
    }

    private static async Task<Results<JsonHttpResult<AcceptanceReport>, ContentHttpResult, ProblemHttpResult>> AcceptanceAsync(
        IAcceptanceReportQuery query, string? from, string? to, string? by, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats);
        if (request is null)
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        var report = AcceptanceReport.Build(await query.DraftsAsync(request.From, request.To, ct), request.From, request.To, request.By);
        return request.Format == "csv"
            ? TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8")
            : TypedResults.Json(report, ReportJsonContext.Default.AcceptanceReport);
    }
}

/// <summary><c>GET /api/reports/tags</c>: per tag, how often what we applied or suggested stayed on the solved ticket.</summary>
internal sealed record TagPrecisionReport(IReadOnlyList<Suggestions.Tagging.TagPrecision> Tags);

internal static class ReportsExtensions
{
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IAcceptanceReportQuery, AcceptanceQuery>();
        return builder;
    }
}
