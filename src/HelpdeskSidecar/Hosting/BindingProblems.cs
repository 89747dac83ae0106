using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Hosting;

/// <summary>
/// Turns the framework's binding failures into what a caller can act on. Minimal APIs throw a
/// <see cref="BadHttpRequestException"/> whose message names CLR types and guesses about services
/// ("Failed to bind parameter \"Nullable&lt;int&gt; limit\"", "Implicit body inferred … Did you mean to use a Service instead?");
/// these messages are the only thing that says which parameter failed, so they are matched here, in one place.
/// Anything not recognised keeps the framework's message.
/// </summary>
internal static partial class BindingProblems
{
    public static string Describe(BadHttpRequestException bad, HttpContext http)
    {
        var message = bad.Message;
        if (BindFailed().Match(message) is { Success: true } bind)
            return Parameter(bind.Groups["type"].Value, bind.Groups["name"].Value, bind.Groups["value"].Value);
        if (RequiredMissing().Match(message) is { Success: true } missing && missing.Groups["source"].Value != "body")
            return $"'{missing.Groups["name"].Value}' is required.";
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || RequiredMissing().IsMatch(message))
            return $"The request has no body: {BodyShape(http)}.";
        if (ReadJsonFailed().IsMatch(message))
            return $"Could not read the request body as JSON: {BodyShape(http)}.";
        return message;
    }

    private static string Parameter(string type, string name, string value)
    {
        var expected = type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>') switch
        {
            "int" or "long" or "short" or "uint" or "ulong" or "Int32" or "Int64" => "a whole number",
            "double" or "float" or "decimal" or "Double" or "Single" or "Decimal" => "a number",
            "bool" or "Boolean" => "true or false",
            "DateOnly" => "a date as yyyy-MM-dd",
            "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
            "Guid" => "a GUID",
            _ => "a valid value",
        };
        return $"'{name}' must be {expected}, not '{Excerpt.Of(value, 40)}'.";
    }

    /// <summary>"the body must be a JSON object with verdict and reason", from the endpoint's declared body type.</summary>
    private static string BodyShape(HttpContext http)
    {
        // The exception handler clears the request's endpoint before the problem is written; its feature keeps it.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (type is null || type == typeof(string))
            return "the body must be a JSON object";
        var naming = http.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions.PropertyNamingPolicy;
        var fields = type.GetProperties().Select(p => naming?.ConvertName(p.Name) ?? p.Name).ToList();
        return fields.Count switch
        {
            0 => "the body must be a JSON object",
            1 => $"the body must be a JSON object with {fields[0]}",
            _ => $"the body must be a JSON object with {string.Join(", ", fields[..^1])} and {fields[^1]}",
        };
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "(?<type>\S+) (?<name>[^"]+)" was not provided from (?<source>[^.]+)\.$""")]
    private static partial Regex RequiredMissing();

    [GeneratedRegex("""^Failed to read parameter "[^"]+" from the request body as JSON\.$""")]
    private static partial Regex ReadJsonFailed();
}
