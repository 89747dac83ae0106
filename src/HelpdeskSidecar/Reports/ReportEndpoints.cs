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
    private static readonly string[] GapGroupings = ["intent", "week"];
    private static readonly string[] ByTag = ["tag"];

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Each report asks for its own row of the role matrix (Access/Roles.cs): tag precision is the ops leads' too.
        var api = app.MapGroup("/api/reports").WithTags("Reports");
        api.MapGet("/acceptance", AcceptanceAsync).WithName("GetAcceptanceReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/tags", TagsAsync).WithName("GetTagPrecisionReport").RequireAuthorization(Access.AccessPolicies.Oversight);
        api.MapGet("/gaps", GapsAsync).WithName("GetKnowledgeGapReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/usage", UsageAsync).WithName("GetUsageReport").RequireAuthorization(Access.AccessPolicies.Reports);
        api.MapGet("/routes", RoutesAsync).WithName("GetRoutePrecisionReport").RequireAuthorization(Access.AccessPolicies.Oversight);
        api.MapGet("/overview", OverviewAsync).WithName("GetOverviewReport").RequireAuthorization(Access.AccessPolicies.Reports);
        Resolution.ResolutionEndpoints.MapResolutionReport(api);
        api.MapThemes(); // Reports/Themes: managers read themes, ops leads the rising ones
        return app;
    }

    private static async Task<Results<JsonHttpResult<AcceptanceReport>, FileContentHttpResult, ProblemHttpResult>> AcceptanceAsync(
        IAcceptanceReportQuery query, ReportNames names, string? from, string? to, string? by, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats);
        if (request is null)
            return Invalid(error!);
        var facts = await query.DraftsAsync(request.From, request.To, ct);
        var labels = request.By is "agent" or "brand" ? await names.LabelsAsync(facts, ct) : null;
        var report = AcceptanceReport.Build(facts, request.From, request.To, request.By, labels);
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

    private static async Task<Results<JsonHttpResult<RoutePrecisionReport>, FileContentHttpResult, ProblemHttpResult>> RoutesAsync(
        Suggestions.Routing.RouteOutcomes outcomes, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(null, null, null, format, Formats);
        if (request is null)
            return Invalid(error!);
        var report = new RoutePrecisionReport(await outcomes.PrecisionAsync(ct));
        return request.Format == "csv" ? Csv("route-precision", request, report.ToCsv()) : TypedResults.Json(report, ReportJsonContext.Default.RoutePrecisionReport);
    }

    private static async Task<Results<JsonHttpResult<GapsReport>, JsonHttpResult<GapTrendReport>, FileContentHttpResult, ProblemHttpResult>> GapsAsync(
        ISuggestionReportQuery query, string? from, string? to, string? by, string? examples, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, by, format, Formats, GapGroupings);
        var (count, examplesError) = ReportRequest.ParseExamples(examples);
        if (request is null || examplesError is not null)
            return Invalid(error ?? examplesError!);
        var facts = await query.SuggestionsAsync(request.From, request.To, ct);
        if (request.By == "week")
        {
            var trend = GapTrendReport.Build(facts, request.From, request.To);
            return request.Format == "csv" ? Csv("knowledge-gaps-by-week", request, trend.ToCsv()) : TypedResults.Json(trend, ReportJsonContext.Default.GapTrendReport);
        }
        var report = GapsReport.Build(facts, request.From, request.To, count);
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

/// <summary><c>GET /api/reports/routes</c>: per routing rule and target, how often the route we applied or suggested was in place at solve.</summary>
internal sealed record RoutePrecisionReport(IReadOnlyList<Suggestions.Routing.RoutePrecision> Routes)
{
    public static readonly string[] Columns = ["rule", "target", "value", "applied", "suggested", "kept", "dropped", "precision"];

    public static string[] Cells(Suggestions.Routing.RoutePrecision r) =>
        [r.Rule, r.Target, r.Value, ReportCsv.Cell(r.Applied), ReportCsv.Cell(r.Suggested), ReportCsv.Cell(r.Kept), ReportCsv.Cell(r.Dropped), ReportCsv.Cell(r.Precision)];

    public string ToCsv() => ReportCsv.Write(Columns, Routes.Select(Cells));
}

internal static class ReportsExtensions
{
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IAcceptanceReportQuery, AcceptanceQuery>();
        builder.Services.TryAddSingleton<ISuggestionReportQuery, SuggestionFactsQuery>();
        builder.Services.TryAddSingleton<OverviewQuery>();
        builder.Services.TryAddSingleton<ReportNames.Misses>();
        builder.Services.TryAddTransient<ReportNames>();
        builder.AddThemes(); // Reports/Themes: themes of customer messages, rising-theme webhook
        return builder;
    }
}
