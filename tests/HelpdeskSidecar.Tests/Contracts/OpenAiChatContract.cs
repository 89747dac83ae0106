using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// Validates chat request bodies against CreateChatCompletionRequest in the OpenAI spec (Contracts/recorded/openai/openapi.yaml). The whole
/// spec does not parse with YamlDotNet, so each schema's block is cut out by name and parsed when a <c>$ref</c> needs it.
/// A JSON Schema subset is checked: $ref, allOf, oneOf/anyOf (one branch must hold), type (incl. lists and "null"),
/// nullable, enum, properties, required, additionalProperties: false, items, minItems, minimum/maximum, maxLength.
/// Stricter than the spec in one way: every top-level property must be declared somewhere in the request schema's allOf
/// chain, so a misspelt option fails instead of being silently ignored by the server.
/// </summary>
public sealed partial class OpenAiChatContract
{
    private readonly string[] _lines;
    private readonly Dictionary<string, YamlMappingNode> _schemas = [];

    private OpenAiChatContract(string[] lines) => _lines = lines;

    /// <summary>From the copy in the test output (Contracts/recorded/openai); never null since the spec is copied there.</summary>
    public static OpenAiChatContract? TryLoad() => new OpenAiChatContract(File.ReadAllLines(RecordedContracts.OpenAiSpec));

    public IReadOnlyList<string> ValidateRequest(string json)
    {
        var errors = Validate(json, "CreateChatCompletionRequest", topLevelDeclaredOnly: true).ToList();
        // The name's pattern is stated in the spec's prose only ("a-z, A-Z, 0-9, underscores and dashes, at most 64").
        if (JsonNode.Parse(json)?["response_format"]?["json_schema"]?["name"] is JsonValue name
            && name.GetValueKind() == JsonValueKind.String && !SchemaName().IsMatch(name.GetValue<string>()))
            errors.Add("$.response_format.json_schema.name does not match ^[a-zA-Z0-9_-]{1,64}$");
        return errors;
    }

    public IReadOnlyList<string> ValidateResponse(string json) => Validate(json, "CreateChatCompletionResponse", topLevelDeclaredOnly: false);

    private IReadOnlyList<string> Validate(string json, string schemaName, bool topLevelDeclaredOnly)
    {
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return ["body is not JSON"];
        }
        var errors = new List<string>();
        var schema = Schema(schemaName);
        Check(body, schema, "$", errors);
        if (topLevelDeclaredOnly && body is JsonObject obj)
        {
            var declared = Declared(schema);
            errors.AddRange(obj.Select(p => p.Key).Where(k => !declared.Contains(k)).Select(k => $"$.{k} is not declared in {schemaName}"));
        }
        return errors;
    }

    private void Check(JsonNode? value, YamlMappingNode schema, string path, List<string> errors)
    {
        if (Get(schema, "$ref") is YamlScalarNode reference)
        {
            Check(value, Schema(reference.Value!.Split('/')[^1]), path, errors);
            return;
        }
        if (Get(schema, "allOf") is YamlSequenceNode allOf)
            foreach (var part in allOf.Cast<YamlMappingNode>())
                Check(value, part, path, errors);
        foreach (var key in new[] { "oneOf", "anyOf" })
        {
            if (Get(schema, key) is not YamlSequenceNode branches)
                continue;
            var results = branches.Cast<YamlMappingNode>().Select(b => { var e = new List<string>(); Check(value, b, path, e); return e; }).ToList();
            if (results.All(r => r.Count > 0))
                errors.Add($"{path} matches no branch of {key}: {string.Join(" | ", results.Select(r => r[0]))}");
        }
        if (value is null)
        {
            var nullable = Scalar(schema, "nullable") == "true" || Types(schema) is { } t && t.Contains("null");
            if (!nullable && Types(schema) is not null)
                errors.Add($"{path} is null");
            return;
        }
        if (Types(schema) is { } types && !types.Any(t => Is(value, t)))
        {
            errors.Add($"{path} is not {string.Join(" or ", types)}");
            return;
        }
        if (Get(schema, "enum") is YamlSequenceNode values && value is JsonValue v
            && !values.Select(e => ((YamlScalarNode)e).Value).Contains(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()))
            errors.Add($"{path} = {v.ToJsonString()} is not one of the enum values");
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            var d = number.GetValue<double>();
            if (Scalar(schema, "minimum") is { } min && d < double.Parse(min, CultureInfo.InvariantCulture))
                errors.Add($"{path} is below {min}");
            if (Scalar(schema, "maximum") is { } max && d > double.Parse(max, CultureInfo.InvariantCulture))
                errors.Add($"{path} is above {max}");
        }
        if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String && Scalar(schema, "maxLength") is { } maxLength
            && text.GetValue<string>().Length > int.Parse(maxLength, CultureInfo.InvariantCulture))
            errors.Add($"{path} is longer than {maxLength}");
        if (value is JsonArray array)
        {
            if (Scalar(schema, "minItems") is { } minItems && array.Count < int.Parse(minItems, CultureInfo.InvariantCulture))
                errors.Add($"{path} has fewer than {minItems} items");
            if (Get(schema, "items") is YamlMappingNode items)
                for (var i = 0; i < array.Count; i++)
                    Check(array[i], items, $"{path}[{i}]", errors);
        }
        if (value is JsonObject obj)
        {
            if (Get(schema, "required") is YamlSequenceNode required)
                errors.AddRange(required.Select(r => ((YamlScalarNode)r).Value!).Where(r => !obj.ContainsKey(r)).Select(r => $"{path}.{r} is required"));
            var properties = Get(schema, "properties") as YamlMappingNode;
            if (properties is not null)
                foreach (var (name, node) in obj)
                    if (properties.Children.TryGetValue(new YamlScalarNode(name), out var propertySchema))
                        Check(node, (YamlMappingNode)propertySchema, $"{path}.{name}", errors);
            if (Scalar(schema, "additionalProperties") == "false")
                errors.AddRange(obj.Select(p => p.Key).Where(k => properties is null || !properties.Children.ContainsKey(new YamlScalarNode(k)))
                    .Select(k => $"{path}.{k} is not declared (additionalProperties: false)"));
        }
    }

    private HashSet<string> Declared(YamlMappingNode schema)
    {
        var names = new HashSet<string>();
        if (Get(schema, "$ref") is YamlScalarNode reference)
            names.UnionWith(Declared(Schema(reference.Value!.Split('/')[^1])));
        if (Get(schema, "allOf") is YamlSequenceNode allOf)
            foreach (var part in allOf.Cast<YamlMappingNode>())
                names.UnionWith(Declared(part));
        if (Get(schema, "properties") is YamlMappingNode properties)
            names.UnionWith(properties.Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
        return names;
    }

    private static bool Is(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() % 1 == 0,
        "null" => false,
        _ => true,
    };

    private static string[]? Types(YamlMappingNode schema) => Get(schema, "type") switch
    {
        YamlScalarNode s => [s.Value!],
        YamlSequenceNode list => list.Select(t => ((YamlScalarNode)t).Value!).ToArray(),
        _ => null,
    };

    private static YamlNode? Get(YamlMappingNode schema, string key) =>
        schema.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode schema, string key) => (Get(schema, key) as YamlScalarNode)?.Value;

    private YamlMappingNode Schema(string name)
    {
        if (_schemas.TryGetValue(name, out var cached))
            return cached;
        var header = $"    {name}:";
        var start = Array.IndexOf(_lines, header);
        if (start < 0)
            throw new InvalidOperationException($"{name} not found in the OpenAI spec");
        var end = start + 1;
        while (end < _lines.Length && (_lines[end].Trim().Length == 0 || _lines[end].Length - _lines[end].TrimStart().Length > 4))
            end++;
        var block = string.Join('\n', _lines[(start + 1)..end].Select(l => l.Length > 6 ? l[6..] : l.TrimStart()));
        var stream = new YamlStream();
        stream.Load(new StringReader(block));
        var schema = (YamlMappingNode)stream.Documents[0].RootNode;
        _schemas[name] = schema;
        return schema;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    internal static partial Regex SchemaName();
}
