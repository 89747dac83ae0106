using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// The CreateEmbeddingRequest schema from the OpenAI spec (Contracts/recorded/openai/openapi.yaml). The whole spec does not parse with
/// YamlDotNet (a literal block scalar it rejects), so only this schema's block is cut out and parsed. Checks what our
/// client controls: no undeclared property (the schema says additionalProperties: false), required ones present,
/// model a string, input a non-empty array of strings, encoding_format and dimensions as declared.
/// </summary>
public sealed class OpenAiEmbeddingsContract
{
    private readonly YamlMappingNode _schema;

    private OpenAiEmbeddingsContract(YamlMappingNode schema) => _schema = schema;

    /// <summary>From the copy in the test output (Contracts/recorded/openai); never null since the spec is copied there.</summary>
    public static OpenAiEmbeddingsContract? TryLoad() => new OpenAiEmbeddingsContract(Cut(File.ReadAllLines(RecordedContracts.OpenAiSpec), "    CreateEmbeddingRequest:"));

    public IReadOnlyList<string> Validate(string json)
    {
        var errors = new List<string>();
        var body = JsonNode.Parse(json) as JsonObject;
        if (body is null)
            return ["body is not a JSON object"];
        var properties = (YamlMappingNode)_schema["properties"];
        var declared = properties.Children.Keys.Select(k => k.ToString()).ToHashSet();
        if (_schema.Children.TryGetValue("additionalProperties", out var additional) && additional.ToString() == "false")
            errors.AddRange(body.Select(p => p.Key).Where(k => !declared.Contains(k)).Select(k => $"'{k}' is not declared (additionalProperties: false)"));
        errors.AddRange(((YamlSequenceNode)_schema["required"]).Select(r => r.ToString()).Where(r => !body.ContainsKey(r)).Select(r => $"required '{r}' is missing"));
        if (body["model"]?.GetValueKind() is not System.Text.Json.JsonValueKind.String)
            errors.Add("model must be a string");
        if (body["input"] is not JsonArray { Count: > 0 } input || input.Any(i => i?.GetValueKind() is not System.Text.Json.JsonValueKind.String))
            errors.Add("input must be a non-empty array of strings");
        if (body["encoding_format"] is { } format)
        {
            var allowed = ((YamlSequenceNode)((YamlMappingNode)properties["encoding_format"])["enum"]).Select(e => e.ToString()).ToList();
            if (!allowed.Contains(format.ToString()))
                errors.Add($"encoding_format '{format}' is not one of {string.Join(", ", allowed)}");
        }
        if (body["dimensions"] is { } dimensions && (dimensions.GetValueKind() != System.Text.Json.JsonValueKind.Number || dimensions.GetValue<double>() < 1))
            errors.Add("dimensions must be an integer >= 1");
        return errors;
    }

    private static YamlMappingNode Cut(string[] lines, string header)
    {
        var start = Array.IndexOf(lines, header);
        if (start < 0)
            throw new InvalidOperationException($"{header.Trim()} not found in the OpenAI spec");
        var indent = header.Length - header.TrimStart().Length;
        var end = start + 1;
        while (end < lines.Length && (lines[end].Trim().Length == 0 || lines[end].Length - lines[end].TrimStart().Length > indent))
            end++;
        var block = string.Join('\n', lines[(start + 1)..end].Select(l => l.Length > indent + 2 ? l[(indent + 2)..] : l.TrimStart()));
        var stream = new YamlStream();
        stream.Load(new StringReader(block));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
