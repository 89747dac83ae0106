using System.Text;
using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>
/// <c>GET /api/reports/themes?from=&amp;to=&amp;format=json|csv</c>. Managers (Reports) read every theme with its examples and
/// acceptance; ops leads (Oversight without Reports) see only the rising themes, without customer text or acceptance.
/// </summary>
internal static class ThemesEndpoints
{
    private static readonly string[] Formats = ["json", "csv"];
    private static readonly string[] ByTheme = ["theme"];

    public static RouteGroupBuilder MapThemes(this RouteGroupBuilder api)
    {
        api.MapGet("/themes", ThemesAsync).WithName("GetThemesReport").RequireAuthorization(AccessPolicies.Oversight);
        return api;
    }

    private static async Task<Results<JsonHttpResult<ThemesReport>, FileContentHttpResult, ProblemHttpResult>> ThemesAsync(
        HttpContext http, ThemesService themes, string? from, string? to, string? format, CancellationToken ct)
    {
        var (request, error) = ReportRequest.Parse(from, to, null, format, Formats, ByTheme);
        if (request is null)
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        var report = await themes.BuildAsync(request.From, request.To, ct);
        if (!(http.User.RoleOf() is { } role && AccessPolicies.Allows(AccessPolicies.Reports, role)))
            report = report.RisingOnly();
        return request.Format == "csv"
            ? TypedResults.File(Encoding.UTF8.GetBytes(report.ToCsv()), "text/csv; charset=utf-8", $"themes_{report.From}_{report.To}.csv")
            : TypedResults.Json(report, ThemesJsonContext.Default.ThemesReport);
    }
}

internal static class ThemesExtensions
{
    public static IHostApplicationBuilder AddThemes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ThemesOptions>().BindConfiguration(ThemesOptions.Section).ValidateOnStart()
            .Validate(o => ThemeGrouper.Encoders.Contains(o.Encoder, StringComparer.OrdinalIgnoreCase),
                $"Sidecar:Themes:Encoder must be one of {string.Join(", ", ThemeGrouper.Encoders)}.")
            .Validate(o => o.DistanceThreshold is > 0 and <= 2, "Sidecar:Themes:DistanceThreshold must be above 0 and at most 2.")
            .Validate(o => o.MinThemeSize >= 1 && o.Weeks >= 2 && o.BaselineWeeks >= 1 && o.Examples is >= 0 and <= 20,
                "Sidecar:Themes:MinThemeSize must be at least 1, Weeks at least 2, BaselineWeeks at least 1, Examples 0 to 20.")
            .Validate(o => o.RisingFactor > 1 && o.RisingMinCount >= 1, "Sidecar:Themes:RisingFactor must be above 1 and RisingMinCount at least 1.")
            .Validate(o => o.CheckEvery >= TimeSpan.FromSeconds(1), "Sidecar:Themes:CheckEvery must be at least one second.")
            .Validate(o => string.IsNullOrWhiteSpace(o.RisingWebhook)
                || (Uri.TryCreate(o.RisingWebhook, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
                "Sidecar:Themes:RisingWebhook must be an absolute http(s) URL.");
        builder.Services.TryAddSingleton<ThemesQuery>();
        builder.Services.TryAddSingleton<ThemesService>();
        builder.Services.TryAddSingleton<RisingThemeAlerts>();
        builder.Services.AddHttpClient(RisingThemeAlerts.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHostedService<RisingThemeMonitor>();
        return builder;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ThemesReport))]
internal sealed partial class ThemesJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
