namespace HelpdeskSidecar.Telemetry;

/// <summary>
/// <c>Sidecar:Telemetry</c>: OpenTelemetry traces and metrics, off by default. Where they go is the standard
/// <c>OTEL_*</c> variables' business (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, …).
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// True: on. False: off, whatever the <c>OTEL_*</c> variables say. Unset (the default): on exactly when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. <c>OTEL_SDK_DISABLED=true</c> turns it off in every case.
    /// </summary>
    public bool? Enabled { get; set; }
}
