using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// Test-side checker for requests to Qdrant (and the fake's answers) against the v1.19.x OpenAPI JSON in
/// shared/contracts/qdrant. Stricter than a plain JSON-schema check, for the reasons in derived/validate.py:
/// <list type="bullet">
/// <item>Qdrant's schemars output writes optional fields as <c>anyOf: [X, {"nullable": true}]</c>; a bare
/// <c>{"nullable": true}</c> is an empty schema that accepts anything, so here it accepts only null.</item>
/// <item>The spec almost never sets <c>additionalProperties</c>, so a misspelt key (<c>"mustt"</c>) would pass;
/// here a property an object schema does not declare is an error unless <c>additionalProperties</c> allows it.</item>
/// <item><c>anyOf</c> needs one alternative to match, <c>oneOf</c> exactly one.</item>
/// </list>
/// </summary>
public sealed class QdrantOpenApi
{
    private static readonly ConcurrentDictionary<string, Lazy<QdrantOpenApi>> _cache = new(StringComparer.Ordinal);
    private readonly JsonObject _root;
    private readonly List<(Regex Pattern, int Literal, JsonObject Item)> _paths = [];

    private QdrantOpenApi(JsonObject root)
    {
        _root = root;
        foreach (var (template, item) in (JsonObject)root["paths"]!)
        {
            var regex = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/}]+}", "[^/]+") + "$";
            _paths.Add((new Regex(regex, RegexOptions.CultureInvariant), Regex.Replace(template, "{[^}]+}", "").Length, (JsonObject)item!));
        }
    }

    /// <summary>Walks up from the test directory looking for shared/contracts/qdrant/v1.19.x/openapi.json; null when absent.</summary>
    public static string? FindSpecPath()
    {
        foreach (var start in new[] { TestContext.CurrentContext.TestDirectory, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "contracts", "qdrant", "v1.19.x", "openapi.json");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    /// <summary>The spec, or an NUnit Ignore naming what is missing (the spec is not shipped with the repository).</summary>
    public static QdrantOpenApi LoadOrIgnore()
    {
        var path = FindSpecPath();
        if (path is null)
            Assert.Ignore("Qdrant contract not found: shared/contracts/qdrant/v1.19.x/openapi.json is not shipped with the repository; contract checks need it beside the checkout.");
        return _cache.GetOrAdd(Path.GetFullPath(path!), p => new Lazy<QdrantOpenApi>(() => new QdrantOpenApi((JsonObject)JsonNode.Parse(File.ReadAllText(p))!))).Value;
    }

    /// <summary>Errors for one request (path, declared query parameters, JSON body); empty when valid.</summary>
    public IReadOnlyList<string> ValidateRequest(string method, string pathAndQuery, string? body)
    {
        var errors = new List<string>();
        if (Operation(method, pathAndQuery, errors) is not { } operation)
            return errors;
        var query = pathAndQuery.Contains('?', StringComparison.Ordinal) ? pathAndQuery[(pathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var declared = (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query").ToDictionary(p => (string)p!["name"]!, p => p!["schema"]);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(pair.Split('=')[0]);
            var raw = pair.Contains('=', StringComparison.Ordinal) ? Uri.UnescapeDataString(pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]) : "";
            if (!declared.TryGetValue(name, out var schema))
                errors.Add($"query parameter '{name}' is not declared for {method} {pathAndQuery}");
            else
                new Checker(this, errors).Check(ParseRaw(raw), schema, "?" + name);
        }
        var bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        if (bodySchema is null && body is not null)
            errors.Add($"{method} {pathAndQuery} takes no body");
        else if (bodySchema is not null && body is null)
            errors.Add($"{method} {pathAndQuery} needs a JSON body");
        else if (bodySchema is not null)
            new Checker(this, errors).Check(JsonNode.Parse(body!), bodySchema, "$");
        return errors;
    }

    /// <summary>Errors for a response body against the operation's schema for that status (200 or the error default).</summary>
    public IReadOnlyList<string> ValidateResponse(string method, string pathAndQuery, int status, string body)
    {
        var errors = new List<string>();
        if (Operation(method, pathAndQuery, errors) is not { } operation)
            return errors;
        var responses = operation["responses"]!;
        var response = responses[status.ToString(CultureInfo.InvariantCulture)] ?? responses[$"{status / 100}XX"] ?? responses["default"];
        if (response?["content"]?["application/json"]?["schema"] is not { } schema)
            errors.Add($"no JSON response schema for {status}");
        else
            new Checker(this, errors).Check(JsonNode.Parse(body), schema, "$");
        return errors;
    }

    /// <summary>Errors for a value against a named component schema (for negative controls).</summary>
    public IReadOnlyList<string> ValidateSchema(string component, JsonNode? value)
    {
        var errors = new List<string>();
        new Checker(this, errors).Check(value, new JsonObject { ["$ref"] = "#/components/schemas/" + component }, "$");
        return errors;
    }

    private JsonObject? Operation(string method, string pathAndQuery, List<string> errors)
    {
        var path = pathAndQuery.Split('?')[0];
        var match = _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literal).Select(p => p.Item).FirstOrDefault();
        if (match?[method.ToLowerInvariant()] is JsonObject operation)
            return operation;
        errors.Add($"{method} {path} is not an operation of the Qdrant API");
        return null;
    }

    private static JsonNode? ParseRaw(string raw) =>
        raw is "true" or "false" ? JsonValue.Create(raw == "true")
        : long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
        : JsonValue.Create(raw);

    private JsonObject Resolve(JsonNode schema)
    {
        var node = schema;
        while (node is JsonObject o && (string?)o["$ref"] is { } reference)
        {
            node = _root;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
                node = node![part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }
        return (JsonObject)node!;
    }

    private sealed class Checker(QdrantOpenApi spec, List<string> errors)
    {
        public void Check(JsonNode? value, JsonNode? schemaNode, string path)
        {
            if (schemaNode is null)
                return;
            var schema = spec.Resolve(schemaNode);
            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            // validate.py's tightening: the {"nullable": true} alternative means "null", not "anything".
            if (schema.Count(p => p.Key != "description") == 1 && (bool?)schema["nullable"] == true)
            {
                if (kind != JsonValueKind.Null)
                    errors.Add($"{path}: expected null");
                return;
            }
            if (kind == JsonValueKind.Null)
            {
                var allowsNull = (bool?)schema["nullable"] == true || (schema["enum"]?.AsArray().Any(e => e is null) ?? false)
                    || Alternatives(schema, "anyOf").Any(a => Passes(value, a, path));
                if (!allowsNull)
                    errors.Add($"{path}: null is not allowed");
                return;
            }
            foreach (var member in schema["allOf"]?.AsArray() ?? [])
                Check(value, member, path);
            if (schema["anyOf"] is JsonArray anyOf)
                CheckAlternatives(value, anyOf, path, exactlyOne: false);
            if (schema["oneOf"] is JsonArray oneOf)
                CheckAlternatives(value, oneOf, path, exactlyOne: true);
            if ((string?)schema["type"] is { } type && !TypeMatches(type, value!, kind))
            {
                errors.Add($"{path}: expected {type} but got {kind} {Show(value)}");
                return;
            }
            if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
                errors.Add($"{path}: {Show(value)} is not one of {values.ToJsonString()}");
            if (kind == JsonValueKind.Number && schema["minimum"] is { } minimum && value!.GetValue<double>() < minimum.GetValue<double>())
                errors.Add($"{path}: {Show(value)} is below the minimum {minimum}");
            if (kind == JsonValueKind.Number && ((string?)schema["format"])?.StartsWith("uint", StringComparison.Ordinal) == true && value!.GetValue<double>() < 0)
                errors.Add($"{path}: {Show(value)} is negative for {schema["format"]}");
            if (value is JsonObject obj)
                CheckObject(obj, schema, path);
            if (value is JsonArray array && schema["items"] is { } items)
            {
                for (var i = 0; i < array.Count; i++)
                    Check(array[i], items, $"{path}[{i}]");
            }
        }

        private void CheckObject(JsonObject obj, JsonObject schema, string path)
        {
            foreach (var required in schema["required"]?.AsArray() ?? [])
            {
                if (!obj.ContainsKey((string)required!))
                    errors.Add($"{path}: required property '{required}' is missing");
            }
            var properties = schema["properties"] as JsonObject;
            var additional = schema["additionalProperties"];
            foreach (var (name, child) in obj)
            {
                if (properties?[name] is { } property)
                    Check(child, property, $"{path}.{name}");
                else if (additional is JsonObject additionalSchema)
                    Check(child, additionalSchema, $"{path}.{name}");
                else if (additional is JsonValue allowed && allowed.GetValue<bool>())
                    continue;
                else if (properties is not null || additional is not null)
                    errors.Add($"{path}.{name}: property is not declared by the schema");
            }
        }

        private void CheckAlternatives(JsonNode? value, JsonArray alternatives, string path, bool exactlyOne)
        {
            var results = alternatives.Select(a => Errors(value, a, path)).ToList();
            var passed = results.Count(r => r.Count == 0);
            if (passed == 0)
                errors.Add($"{path}: matches none of the {alternatives.Count} alternatives; closest: {string.Join("; ", results.OrderBy(r => r.Count).First().Take(3))}");
            else if (exactlyOne && passed > 1)
                errors.Add($"{path}: matches {passed} oneOf alternatives, exactly one allowed");
        }

        private IEnumerable<JsonNode> Alternatives(JsonObject schema, string keyword) => schema[keyword]?.AsArray().Select(a => a!) ?? [];

        private bool Passes(JsonNode? value, JsonNode alternative, string path) => Errors(value, alternative, path).Count == 0;

        private List<string> Errors(JsonNode? value, JsonNode? alternative, string path)
        {
            var local = new List<string>();
            new Checker(spec, local).Check(value, alternative, path);
            return local;
        }

        private static bool TypeMatches(string type, JsonNode value, JsonValueKind kind) => type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && double.IsInteger(value.GetValue<double>()),
            _ => true,
        };

        private static string Show(JsonNode? value)
        {
            var text = value?.ToJsonString() ?? "null";
            return text.Length > 60 ? text[..60] + "…" : text;
        }
    }
}
