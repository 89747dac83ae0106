using System.Text.Json;
using HelpdeskSidecar.Ai;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HelpdeskSidecar.Hosting.Readiness;

/// <summary>
/// <c>GET /readyz</c>: each dependency with its state, as JSON. Required ones (the database, the job store) make it 503
/// when any is not ready. Qdrant (when it is the index) and the model endpoint (when configured) are reported but only
/// degrade it: retrieval falls back to the embedded index and the offline drafter answers without the model, and a
/// Qdrant outage must not take every replica out of its load balancer while webhooks still need acknowledging. <c>/healthz</c> stays a liveness answer that touches nothing.
/// </summary>
internal static class ReadinessExtensions
{
    public const string Path = "/readyz";

    /// <summary>How long one check may take before it counts as not ready.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    private const string Required = "required";
    private const string Optional = "optional";

    public static IHostApplicationBuilder AddReadiness(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<IStateStoreProbe, SqliteStateStoreProbe>();
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", HealthStatus.Unhealthy, [Required], CheckTimeout)
            .AddCheck<JobStorageReadiness>("job_storage", HealthStatus.Unhealthy, [Required], CheckTimeout);
        // Read raw: the options are validated later, with a message naming the bad key.
        if (string.Equals(builder.Configuration["Sidecar:Knowledge:Index"], "Qdrant", StringComparison.OrdinalIgnoreCase))
            checks.AddCheck<QdrantReadiness>("qdrant", HealthStatus.Degraded, [Optional], CheckTimeout);
        if (AiExtensions.IsChatConfigured(builder.Configuration) || !string.IsNullOrWhiteSpace(builder.Configuration["Sidecar:Llm:EmbeddingModel"]))
        {
            services.AddHttpClient(ModelReadiness.ClientName, http => http.Timeout = CheckTimeout);
            checks.AddCheck<ModelReadiness>("model", HealthStatus.Degraded, [Optional], CheckTimeout);
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        }).WithTags("Health");
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new ReadinessReport(
            report.Status == HealthStatus.Unhealthy ? "not_ready" : "ready",
            [.. report.Entries.Select(e => new ReadinessCheck(
                e.Key,
                e.Value.Status switch { HealthStatus.Healthy => "ready", HealthStatus.Degraded => "degraded", _ => "not_ready" },
                e.Value.Tags.Contains(Required),
                Describe(e.Value),
                Math.Round(e.Value.Duration.TotalMilliseconds, 1)))]);
        return context.Response.WriteAsJsonAsync(body, Json, context.RequestAborted);
    }

    /// <summary>The check's own words, else the exception's message (one line, bounded; never a stack trace).</summary>
    private static string? Describe(HealthReportEntry entry)
    {
        var text = entry.Description ?? entry.Exception?.Message;
        if (text is null)
            return null;
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}

internal sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessCheck> Checks);

internal sealed record ReadinessCheck(string Name, string Status, bool Required, string? Detail, double DurationMs);
