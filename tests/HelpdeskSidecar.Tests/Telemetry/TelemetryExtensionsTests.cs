using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Telemetry;
using Microsoft.Extensions.Configuration;

namespace HelpdeskSidecar.Tests.Telemetry;

/// <summary>When telemetry is on: off by default, on with an OTLP endpoint, <c>Sidecar:Telemetry:Enabled</c> decides when set.</summary>
public class TelemetryExtensionsTests
{
    [TestCase(null, null, null, false, TestName = "IsEnabled_NothingSet_Off")]
    [TestCase(null, "http://collector:4317", null, true, TestName = "IsEnabled_OtlpEndpointSet_On")]
    [TestCase("false", "http://collector:4317", null, false, TestName = "IsEnabled_EnabledFalse_OffDespiteTheEndpoint")]
    [TestCase("true", null, null, true, TestName = "IsEnabled_EnabledTrue_OnWithoutAnEndpoint")]
    [TestCase("true", "http://collector:4317", "true", false, TestName = "IsEnabled_OtelSdkDisabled_OffWhateverElse")]
    public void IsEnabled(string? enabled, string? endpoint, string? sdkDisabled, bool expected)
    {
        var configuration = Configuration(("Sidecar:Telemetry:Enabled", enabled), ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_SDK_DISABLED", sdkDisabled));

        Assert.That(TelemetryExtensions.IsEnabled(configuration), Is.EqualTo(expected));
    }

    [Test]
    public void IsEnabled_NotABoolean_ConfigurationErrorNamingTheKey()
    {
        var configuration = Configuration(("Sidecar:Telemetry:Enabled", "yes please"));

        Assert.That(() => TelemetryExtensions.IsEnabled(configuration),
            Throws.TypeOf<SidecarConfigurationException>().With.Message.Contains("'Sidecar:Telemetry:Enabled'"));
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Where(v => v.Value is not null).Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();
}
