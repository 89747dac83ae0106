using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// Test-side checker for requests sent to Zendesk, against the committed Support OpenAPI 3.0 spec
/// (shared/contracts/zendesk/oas/support-oas.yaml). Validates the path, declared query parameters and the
/// application/json request body ($ref, allOf, oneOf/anyOf, type, nullable, enum, required, properties,
/// additionalProperties, items, readOnly, min/max). oneOf is checked like anyOf (at least one alternative must match).
/// </summary>
public sealed class ZendeskOpenApi
{
    private static readonly ConcurrentDictionary<string, Lazy<ZendeskOpenApi>> _cache = new(StringComparer.Ordinal);
    private readonly JsonObject _root;
    private readonly List<(Regex Pattern, int Literal, string Template, JsonObject Item)> _paths = [];

    private ZendeskOpenApi(JsonObject root)
    {
        _root = root;
        foreach (var (template, item) in (JsonObject?)root["paths"] ?? [])
        {
            var regex = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/}]+}", "[^/]+") + "$";
            var literal = Regex.Replace(template, "{[^}]+}", string.Empty).Length;
            _paths.Add((new Regex(regex, RegexOptions.CultureInvariant), literal, template, (JsonObject)item!));
        }
    }

    /// <summary>Walks up from the test directory looking for shared/contracts/zendesk/oas/support-oas.yaml; null when absent.</summary>
    public static string? FindSpecPath(string? startDirectory = null)
    {
        string?[] starts = [startDirectory, TestDirectory(), AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "contracts", "zendesk", "oas", "support-oas.yaml");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    /// <summary>Parses the spec once per full path and caches it for the process lifetime.</summary>
    public static ZendeskOpenApi Load(string path) =>
        _cache.GetOrAdd(Path.GetFullPath(path), p => new Lazy<ZendeskOpenApi>(() => Parse(p))).Value;

    /// <summary>
    /// Validates a request; an empty list means valid. Stricter than plain OpenAPI in one way: a body property the
    /// schema does not declare is an error wherever additionalProperties is absent (the spec never requires anything
    /// nor says additionalProperties: false, so a typo like "tickett" would otherwise pass; every request example in
    /// the spec still validates). <paramref name="rejectReadOnly"/> also flags readOnly properties (e.g. ticket.id);
    /// it is opt-in because the spec marks some fields readOnly that bulk/import endpoints legitimately take.
    /// </summary>
    public IReadOnlyList<string> ValidateRequest(string method, string pathAndQuery, string? jsonBody, bool rejectReadOnly = false)
    {
        var errors = new List<string>();
        var (path, query) = pathAndQuery.IndexOf('?', StringComparison.Ordinal) is var at and >= 0
            ? (pathAndQuery[..at], pathAndQuery[(at + 1)..]) : (pathAndQuery, string.Empty);
        var verb = method.ToLowerInvariant();
        var candidates = _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literal).ToList();
        var match = candidates.FirstOrDefault(p => p.Item[verb] is JsonObject);
        if (match.Item is null)
        {
            var known = candidates.SelectMany(c => c.Item.Select(kv => kv.Key).Where(k => k != "parameters").Select(k => $"{k.ToUpperInvariant()} {c.Template}"));
            return [$"no operation {method.ToUpperInvariant()} {path}" + (candidates.Count > 0 ? $" (spec has: {string.Join(", ", known)})" : string.Empty)];
        }
        var operation = (JsonObject)match.Item[verb]!;
        var validator = new SchemaValidator(this, errors, rejectReadOnly);

        // Operation-level parameters override path-level ones with the same (in, name).
        var parameters = new[] { match.Item["parameters"], operation["parameters"] }
            .SelectMany(source => (JsonArray?)source ?? []).Select(Resolve).OfType<JsonObject>()
            .GroupBy(p => ((string?)p["in"], (string?)p["name"])).ToDictionary(g => g.Key, g => g.Last());
        foreach (var (segment, actual) in match.Template.Split('/').Zip(path.Split('/')))
        {
            if (segment.StartsWith('{') && parameters.TryGetValue(("path", segment.Trim('{', '}')), out var param))
                validator.CheckRaw(Uri.UnescapeDataString(actual), param["schema"], $"path parameter {segment.Trim('{', '}')}");
        }

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
        var queryPairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
            .Select(kv => (Key: Decode(kv[0]), Value: kv.Length > 1 ? Decode(kv[1]) : string.Empty)).ToList();
        foreach (var (key, value) in queryPairs)
        {
            var bracket = Regex.Match(key, @"^([^\[]+)\[([^\]]*)\]$");
            if (parameters.TryGetValue(("query", key), out var param))
                validator.CheckRaw(value, param["schema"], $"query parameter {key}");
            else if (bracket.Success && parameters.TryGetValue(("query", bracket.Groups[1].Value), out var parent))
            {
                // name[]=v (form array) or name[prop]=v (deepObject)
                var schema = Resolve(parent["schema"]);
                var sub = bracket.Groups[2].Value.Length == 0 ? schema?["items"] : Resolve(schema?["properties"])?[bracket.Groups[2].Value];
                validator.CheckRaw(value, sub, $"query parameter {key}");
            }
        }
        foreach (var ((location, name), param) in parameters)
        {
            if (location == "query" && (bool?)param["required"] == true && !queryPairs.Any(q => q.Key == name || q.Key.StartsWith(name + "[", StringComparison.Ordinal)))
                errors.Add($"missing required query parameter {name}");
        }

        var requestBody = Resolve(operation["requestBody"]);
        var bodySchema = requestBody?["content"]?["application/json"]?["schema"];
        var label = $"{method.ToUpperInvariant()} {match.Template}";
        if (jsonBody is null && (bool?)requestBody?["required"] == true)
            errors.Add($"{label} requires a request body but none was sent");
        else if (jsonBody is not null && bodySchema is null)
            errors.Add($"{label} declares no application/json request body but one was sent");
        else if (jsonBody is not null && TryParseJson(jsonBody, errors, out var body))
            validator.Check(body, bodySchema, "$");
        return errors;
    }

    private static bool TryParseJson(string json, List<string> errors, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(json);
            return true;
        }
        catch (JsonException ex)
        {
            errors.Add($"request body is not valid JSON: {ex.Message}");
            node = null;
            return false;
        }
    }

    private JsonObject? Resolve(JsonNode? node)
    {
        for (var depth = 0; node is JsonObject obj && obj["$ref"] is JsonValue reference && depth < 64; depth++)
        {
            var pointer = (string)reference!;
            if (!pointer.StartsWith("#/", StringComparison.Ordinal))
                throw new InvalidOperationException($"external $ref not supported: {pointer}");
            node = pointer[2..].Split('/').Aggregate((JsonNode?)_root, (current, token) => current?[token.Replace("~1", "/").Replace("~0", "~")])
                ?? throw new InvalidOperationException($"unresolvable $ref {pointer}");
        }
        return node as JsonObject;
    }

    private static string? TestDirectory() => NUnit.Framework.TestContext.CurrentContext?.TestDirectory;

    private static ZendeskOpenApi Parse(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
            stream.Load(reader);
        return new ZendeskOpenApi((JsonObject)ToJson(stream.Documents[0].RootNode)!);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node at {node.Start}"),
    };

    // YAML 1.2 core schema for plain scalars; quoted/block scalars and explicit tags (e.g. "=" values) stay strings.
    private static JsonValue? ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            return JsonValue.Create(text[0] is 't' or 'T');
        if (Regex.IsMatch(text, "^[-+]?[0-9]+$") && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    private sealed class SchemaValidator(ZendeskOpenApi api, List<string> errors, bool rejectReadOnly)
    {
        private static readonly string[] _composedKeywords = ["allOf", "oneOf", "anyOf"];
        private readonly ZendeskOpenApi _api = api;
        private readonly bool _rejectReadOnly = rejectReadOnly;
        private List<string> _errors = errors;

        /// <summary>Checks a raw path/query string value (arrays: comma-separated items) against a parameter schema.</summary>
        public void CheckRaw(string raw, JsonNode? schemaNode, string label)
        {
            var schema = _api.Resolve(schemaNode);
            var type = (string?)schema?["type"];
            if (type == "array")
            {
                foreach (var item in raw.Split(','))
                    CheckRaw(item, schema!["items"], label);
            }
            else if (schema is not null && type != "object") // an object (deepObject) parameter sent flat is not checkable
            {
                Check(type switch
                {
                    "integer" when long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
                    "number" when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                    "boolean" when raw is "true" or "false" => JsonValue.Create(raw == "true"),
                    _ => JsonValue.Create(raw),
                }, schema, label);
            }
        }

        public void Check(JsonNode? value, JsonNode? schemaNode, string path, HashSet<string>? siblings = null)
        {
            var schema = _api.Resolve(schemaNode);
            if (schema is null)
                return;
            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            var type = (string?)schema["type"];
            if (_rejectReadOnly && (bool?)schema["readOnly"] == true && path != "$")
                _errors.Add($"{path}: property is readOnly and must not be sent in a request");
            if (kind == JsonValueKind.Null && (bool?)schema["nullable"] == true)
                return;
            if (type is not null && !TypeMatches(type, value, kind))
            {
                _errors.Add(kind == JsonValueKind.Null ? $"{path}: expected {type} but got null (not nullable)" : $"{path}: expected {type} but got {Describe(kind)} {Show(value)}");
                return;
            }
            if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
                _errors.Add($"{path}: {Show(value)} is not one of [{string.Join(", ", allowed.Select(Show))}]");
            // allOf/oneOf/anyOf members see the properties declared next to them, so those are not flagged as undeclared.
            var declared = value is JsonObject ? DeclaredProperties(schema, siblings) : null;
            foreach (var sub in (JsonArray?)schema["allOf"] ?? [])
                Check(value, sub, path, declared);
            foreach (var keyword in new[] { "oneOf", "anyOf" })
            {
                if (schema[keyword] is not JsonArray alternatives)
                    continue;
                var saved = _errors;
                var failures = new List<string>();
                var anyPassed = false;
                foreach (var alternative in alternatives)
                {
                    _errors = [];
                    Check(value, alternative, path, declared);
                    anyPassed |= _errors.Count == 0;
                    failures.Add(string.Join("; ", _errors));
                }
                _errors = saved;
                if (!anyPassed)
                    _errors.Add($"{path}: matches none of the {alternatives.Count} {keyword} alternatives ({string.Join(" | ", failures)})");
            }
            if (value is JsonObject obj)
                CheckObject(obj, schema, path, declared!);
            else if (value is JsonArray array)
                CheckArray(array, schema, path);
            else if (kind == JsonValueKind.String)
                CheckRange(((string)value!).Length, schema, "minLength", "maxLength", path, "length");
            else if (kind == JsonValueKind.Number)
                CheckRange(AsDouble(value), schema, "minimum", "maximum", path, "value");
        }

        private void CheckObject(JsonObject obj, JsonObject schema, string path, HashSet<string> declared)
        {
            var properties = _api.Resolve(schema["properties"]);
            foreach (var required in (JsonArray?)schema["required"] ?? [])
            {
                var name = (string)required!;
                if (!obj.ContainsKey(name) && (bool?)_api.Resolve(properties?[name])?["readOnly"] != true)
                    _errors.Add($"{path}: missing required property \"{name}\"");
            }
            var additional = schema["additionalProperties"];
            foreach (var (name, child) in obj)
            {
                var childPath = Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$") ? $"{path}.{name}" : $"{path}[\"{name}\"]";
                if (properties?[name] is { } propertySchema)
                    Check(child, propertySchema, childPath);
                else if (declared.Contains(name))
                    continue; // declared by a sibling or a composed member, checked there
                else if (additional is JsonValue flag && flag.GetValueKind() == JsonValueKind.False)
                    _errors.Add($"{childPath}: property is not allowed (additionalProperties: false)");
                else if (additional is JsonObject additionalSchema)
                    Check(child, additionalSchema, childPath);
                else if (additional is null && declared.Count > 0)
                    _errors.Add($"{childPath}: property is not declared by the schema");
            }
        }

        private HashSet<string> DeclaredProperties(JsonObject schema, HashSet<string>? siblings)
        {
            var names = new HashSet<string>(siblings ?? [], StringComparer.Ordinal);
            names.UnionWith((_api.Resolve(schema["properties"]) ?? []).Select(kv => kv.Key));
            foreach (var member in _composedKeywords.SelectMany(k => (JsonArray?)schema[k] ?? []))
            {
                if (_api.Resolve(member) is { } resolved)
                    names.UnionWith(DeclaredProperties(resolved, null));
            }
            return names;
        }

        private void CheckArray(JsonArray array, JsonObject schema, string path)
        {
            CheckRange(array.Count, schema, "minItems", "maxItems", path, "item count");
            for (var i = 0; i < array.Count && schema["items"] is { } items; i++)
                Check(array[i], items, $"{path}[{i}]");
        }

        private void CheckRange(double actual, JsonObject schema, string minKey, string maxKey, string path, string what)
        {
            if (schema[minKey] is JsonValue min && actual < AsDouble(min))
                _errors.Add($"{path}: {what} {actual.ToString(CultureInfo.InvariantCulture)} is below {minKey} {min.ToJsonString()}");
            if (schema[maxKey] is JsonValue max && actual > AsDouble(max))
                _errors.Add($"{path}: {what} {actual.ToString(CultureInfo.InvariantCulture)} is above {maxKey} {max.ToJsonString()}");
        }

        private static bool TypeMatches(string type, JsonNode? value, JsonValueKind kind) => type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && AsDouble(value) is var d && Math.Floor(d) == d,
            _ => true,
        };

        private static double AsDouble(JsonNode? value) =>
            double.Parse(value!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

        private static string Describe(JsonValueKind kind) =>
            kind is JsonValueKind.True or JsonValueKind.False ? "boolean" : kind.ToString().ToLowerInvariant();

        private static string Show(JsonNode? value) =>
            value?.ToJsonString() is { Length: > 60 } json ? json[..57] + "..." : value?.ToJsonString() ?? "null";
    }
}
