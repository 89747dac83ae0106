using System.Globalization;
using System.Text;
using HelpdeskSidecar.Reports.Themes;
using HelpdeskSidecar.Suggestions.Tagging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Reports;

internal static class ReportEndpoints
{
    private static readonly string[] Formats = ["json", "csv"];
    private static readonly string[] JsonOnly = ["json"];
    private static readonly string[] ByIntent = ["intent"];
    private static readonly string[] ByTag = ["tag"];

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Each report asks for its own row of the role matrix (Access/Roles.cs): tag precision is the ops leads' too.
        var api = app.MapGroup("/api/reports").WithTags("Reports");
        api.MapGet("/acceptance", AcceptanceAsync).WithName("GetAcceptanceReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/tags", TagsAsync).WithName("GetTagPrecisionReport").RequireAuthorization(Access.AccessPolicies.Oversight);
        api.MapGet("/gaps", GapsAsync).WithName("GetKnowledgeGapReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/usage", UsageAsync).WithName("GetUsageReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/overview", OverviewAsync).WithName("GetOverviewReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapThemes(); // Reports/Themes: managers read themes, ops leads the rising ones
        return app;
    }

    private static async Task<Results<JsonHttpResult<AcceptanceReport>, FileContentHttpResult, ProblemHttpResult>> AcceptanceAsync(
        IAcceptanceReportQuery query, Helpdesks.HelpdeskNames names, string? from, string? to, string? by, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats);
        if (request is null)
            return Invalid(error!);
        var report = AcceptanceReport.Build(await query.DraftsAsync(request.From, request.To, ct), request.From, request.To, request.By, await names.LabelsAsync(ct));
        return request.Format == "csv"
            ? Csv($"acceptance-by-{request.By}", request, report.ToCsv())
            : TypedResults.Json(report, ReportJsonContext.Default.AcceptanceReport);
    }

    private static async Task<Results<JsonHttpResult<TagPrecisionReport>, FileContentHttpResult, ProblemHttpResult>> TagsAsync(
        TagOutcomes outcomes, string? by, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(null, null, by, format, Formats, ByTag);
        if (request is null)
            return Invalid(error!);
        var report = new TagPrecisionReport(await outcomes.PrecisionAsync(ct));
        return request.Format == "csv" ? Csv("tag-precision", request, report.ToCsv()) : TypedResults.Json(report, ReportJsonContext.Default.TagPrecisionReport);
    }

    private static async Task<Results<JsonHttpResult<GapsReport>, FileContentHttpResult, ProblemHttpResult>> GapsAsync(
        ISuggestionReportQuery query, string? from, string? to, string? by, string? examples, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats, ByIntent);
        var (count, examplesError) = ReportRequest.ParseExamples(examples);
        if (request is null || examplesError is not null)
            return Invalid(error ?? examplesError!);
        var report = GapsReport.Build(await query.SuggestionsAsync(request.From, request.To, ct), request.From, request.To, count);
        return request.Format == "csv" ? Csv("knowledge-gaps", request, report.ToCsv()) : TypedResults.Json(report, ReportJsonContext.Default.GapsReport);
    }

    private static async Task<Results<JsonHttpResult<UsageReport>, FileContentHttpResult, ProblemHttpResult>> UsageAsync(
        ISuggestionReportQuery query, string? from, string? to, string? by, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats, UsageReport.Groupings);
        if (request is null)
            return Invalid(error!);
        var report = UsageReport.Build(await query.SuggestionsAsync(request.From, request.To, ct), request.From, request.To, request.By);
        return request.Format == "csv" ? Csv($"usage-by-{request.By}", request, report.ToCsv()) : TypedResults.Json(report, ReportJsonContext.Default.UsageReport);
    }

    private static async Task<Results<JsonHttpResult<OverviewReport>, ProblemHttpResult>> OverviewAsync(
        OverviewQuery overview, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(null, null, null, format, JsonOnly);
        if (request is null)
            return Invalid(error!);
        return TypedResults.Json(await overview.GetAsync(ct), ReportJsonContext.Default.OverviewReport);
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");

    /// <summary>
    /// A CSV is a download (<c>Content-Disposition: attachment</c>), never a page the browser renders, named after the
    /// report and its window, e.g. <c>acceptance-by-intent_2026-03-01_2026-03-31.csv</c>.
    /// </summary>
    private static FileContentHttpResult Csv(string report, ReportRequest request, string csv)
    {
        var window = request.From is null && request.To is null ? "" : $"_{Day(request.From)}_{Day(request.To)}";
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"{report}{window}.csv");
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "all";
}

/// <summary><c>GET /api/reports/tags</c>: per tag, how often what we applied or suggested stayed on the solved ticket.</summary>
internal sealed record TagPrecisionReport(IReadOnlyList<TagPrecision> Tags)
{
    public static readonly string[] Columns = ["tag", "applied", "suggested", "kept", "dropped", "precision"];

    public static string[] Cells(TagPrecision t) =>
        [t.Tag, ReportCsv.Cell(t.Applied), ReportCsv.Cell(t.Suggested), ReportCsv.Cell(t.Kept), ReportCsv.Cell(t.Dropped), ReportCsv.Cell(t.Precision)];

    public string ToCsv() => ReportCsv.Write(Columns, Tags.Select(Cells));
}

internal static class ReportsExtensions
{
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IAcceptanceReportQuery, AcceptanceQuery>();
        builder.Services.TryAddSingleton<ISuggestionReportQuery, SuggestionFactsQuery>();
        builder.Services.TryAddSingleton<OverviewQuery>();
        builder.AddThemes(); // Reports/Themes: themes of customer messages, rising-theme webhook
        return builder;
    }
}
