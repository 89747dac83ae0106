using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Suggestions.Acceptance;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HelpdeskSidecar.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>The <c>service.name</c> when <c>OTEL_SERVICE_NAME</c> is unset.</summary>
    public const string DefaultServiceName = "helpdesk-sidecar";

    /// <summary>
    /// OpenTelemetry when <see cref="IsEnabled"/>: traces from our ActivitySource, the model calls (<c>gen_ai.*</c>),
    /// ASP.NET Core (less the probes) and HttpClient; metrics from our Meter, the model calls, ASP.NET Core and HttpClient;
    /// both to the OTLP exporter configured by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables, unless
    /// <c>OTEL_TRACES_EXPORTER</c> / <c>OTEL_METRICS_EXPORTER</c> is <c>none</c>. Runs after AddSuggestions (it decorates the verdict writer).
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!IsEnabled(configuration))
            return builder;
        Decorate<IVerdictWriter>(builder.Services, inner => new MeteredVerdictWriter(inner));
        builder.Services.AddHostedService<JobStateGauge>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
                serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(SidecarTelemetry.Name, OpenAiModels.TelemetrySource)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                    .AddHttpClientInstrumentation();
                if (Exports(configuration, "OTEL_TRACES_EXPORTER"))
                    tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SidecarTelemetry.Name, OpenAiModels.TelemetrySource)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (Exports(configuration, "OTEL_METRICS_EXPORTER"))
                    metrics.AddOtlpExporter();
            });
        return builder;
    }

    /// <summary>
    /// <c>OTEL_SDK_DISABLED=true</c>: off. Else <c>Sidecar:Telemetry:Enabled</c> when set, else on exactly when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
            return false;
        var enabled = configuration["Sidecar:Telemetry:Enabled"];
        if (!string.IsNullOrWhiteSpace(enabled))
        {
            return bool.TryParse(enabled, out var on)
                ? on
                : throw new Configuration.SidecarConfigurationException("'Sidecar:Telemetry:Enabled' must be true or false.");
        }
        return !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    /// <summary>The standard <c>OTEL_{SIGNAL}_EXPORTER</c>: only <c>otlp</c> (the default) and <c>none</c> are known here.</summary>
    private static bool Exports(IConfiguration configuration, string variable) =>
        !string.Equals(configuration[variable], "none", StringComparison.OrdinalIgnoreCase);

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    /// <summary>Wraps the last registration of <typeparamref name="T"/>, whatever its lifetime and form.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, T> decorate) where T : class
    {
        var index = services.Select((d, i) => (d, i)).LastOrDefault(x => x.d.ServiceType == typeof(T) && !x.d.IsKeyedService);
        if (index.d is not { } inner)
            return;
        Func<IServiceProvider, T> create = inner switch
        {
            { ImplementationInstance: T instance } => _ => instance,
            { ImplementationFactory: { } factory } => sp => (T)factory(sp),
            { ImplementationType: { } type } => sp => (T)ActivatorUtilities.CreateInstance(sp, type),
            _ => throw new InvalidOperationException($"Cannot decorate {typeof(T).Name}."),
        };
        services[index.i] = ServiceDescriptor.Describe(typeof(T), sp => decorate(create(sp)), inner.Lifetime);
    }
}
