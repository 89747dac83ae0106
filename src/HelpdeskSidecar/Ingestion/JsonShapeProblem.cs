using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpdeskSidecar.Ingestion;

/// <summary>
/// A webhook body that is JSON but not of the expected shape, described by where and what was expected
/// ("$.detail.id must be a string or number"): the serializer's own message names our .NET types.
/// </summary>
internal static class JsonShapeProblem
{
    /// <summary>The one-line reason for a body <typeparamref name="T"/> could not be read from.</summary>
    public static string Describe<T>(JsonException ex)
    {
        var isShape = ex.Message.Contains("could not be converted to", StringComparison.Ordinal)
            || ex.Message.StartsWith(StringOrNumberConverter.Expected, StringComparison.Ordinal);
        if (!isShape || string.IsNullOrEmpty(ex.Path))
            return $"The body is not valid JSON: {Hosting.Excerpt.OfJsonError(ex)}";
        return $"{ex.Path} must be {Expected(typeof(T), ex.Path)}.";
    }

    /// <summary>Walks <paramref name="path"/> ($.detail.id) through the JSON property names of <paramref name="root"/>.</summary>
    private static string Expected(Type root, string path)
    {
        var type = root;
        PropertyInfo? property = null;
        foreach (var segment in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('[')[0]))
        {
            property = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == segment);
            if (property is null)
                return "a valid value";
            type = property.PropertyType;
        }
        if (property?.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType == typeof(StringOrNumberConverter))
            return "a string or number";
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(long) || type == typeof(int) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time string (ISO 8601)",
            _ when type == typeof(JsonElement) => "JSON",
            { IsClass: true } => "an object",
            _ => "a valid value",
        };
    }
}
