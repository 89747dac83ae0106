using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Configuration;

namespace HelpdeskSidecar.Tests.Manifests;

/// <summary>A setting a manifest names, and where: <c>Sidecar__Storage__Provider</c> in <c>compose.yaml</c>.</summary>
internal sealed record ManifestSetting(string Source, string Name);

/// <summary>
/// Whether a name in a manifest is something the sidecar reads: a <c>Sidecar__…</c> (or <c>Sidecar:…</c>) key is walked
/// through <see cref="SidecarOptions"/> and its nested options by reflection, as the configuration binder would
/// (case-insensitive, list indexes, settable properties only) and must end on a value, not a section; it must also be
/// documented in the README. Any other variable must be one the host or OpenTelemetry reads.
/// </summary>
internal static partial class SettingNames
{
    /// <summary>Variables read by ASP.NET Core, the OpenTelemetry SDK (the standard <c>OTEL_*</c> names) or Kubernetes wiring.</summary>
    public static readonly HashSet<string> OtherVariables = new(StringComparer.Ordinal)
    {
        "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
        "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
        "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_METRIC_EXPORT_INTERVAL",
        "POD_NAME", // the Deployment's own variable, expanded into OTEL_RESOURCE_ATTRIBUTES
    };

    /// <summary>One line per name that is not a setting, naming the name and its manifest; empty when all are.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<ManifestSetting> settings, string readme) =>
        [.. settings.Select(s => Problem(s.Name, readme) is { } problem ? $"{s.Source}: {problem}" : null).OfType<string>()];

    public static string? Problem(string name, string readme)
    {
        // Sidecar__Zendesk__ApiToken_FILE names the same setting, read from a file (Configuration/SecretFiles.cs).
        if (name.StartsWith(SidecarOptions.Section, StringComparison.OrdinalIgnoreCase) && name.EndsWith(SecretFiles.Suffix, StringComparison.Ordinal))
            name = name[..^SecretFiles.Suffix.Length];
        var separator = name.Contains("__", StringComparison.Ordinal) ? "__" : ":";
        var parts = name.Split(separator);
        if (!parts[0].Equals(SidecarOptions.Section, StringComparison.OrdinalIgnoreCase))
            return OtherVariables.Contains(name) || parts[0] == "Logging" ? null : $"'{name}' is not a setting the sidecar reads";

        var type = typeof(SidecarOptions);
        var documented = new List<string> { SidecarOptions.Section };
        for (var i = 1; i < parts.Length; i++)
        {
            var segment = parts[i];
            if (ElementType(type) is { } element)
            {
                if (!int.TryParse(segment, out _))
                    return $"'{name}': '{segment}' must be a list index";
                type = element;
                continue;
            }
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !(property.CanWrite && property.SetMethod!.IsPublic || ElementType(property.PropertyType) is not null))
                return $"'{name}': {type.Name} has no setting '{segment}'";
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            documented.Add(property.Name);
        }
        if (!IsValue(type) && !(ElementType(type) is { } item && IsValue(item)))
            return $"'{name}' is a section ({type.Name}), not a value";
        var key = string.Join(':', documented);
        return Documented(readme).Contains(key) ? null : $"'{name}' ({key}) is not in the README";
    }

    /// <summary>Every <c>Sidecar:…</c> key the README names in code spans, with <c>{A,B}</c> groups expanded.</summary>
    public static HashSet<string> Documented(string readme)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in DocumentedKey().Matches(readme))
        {
            foreach (var key in Expand(match.Value))
                keys.Add(key);
        }
        return keys;
    }

    private static IEnumerable<string> Expand(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
            return [key];
        var close = key.IndexOf('}', open);
        if (close < 0)
            return [key[..open].TrimEnd(':')];
        return key[(open + 1)..close].Split(',')
            .SelectMany(choice => Expand(key[..open] + choice.Trim() + key[(close + 1)..]));
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
            return null;
        if (type.IsArray)
            return type.GetElementType();
        var list = type.GetInterfaces().Append(type).FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0] ?? (typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null);
    }

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid);

    [GeneratedRegex(@"(?<=`)Sidecar:[A-Za-z0-9:{},]+(?=`)")]
    private static partial Regex DocumentedKey();
}
