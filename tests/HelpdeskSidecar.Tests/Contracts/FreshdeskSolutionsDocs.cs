using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// Test-side checker for requests sent to Freshdesk, against the recorded API documentation
/// (shared/contracts/freshdesk/ktsaou-freshdesk_mcp/FRESHDESK_API_DOCS.txt, a text dump of Freshworks' v2 docs: there is
/// no machine-readable spec). An operation's section gives the method and path (<c>post  /api/v2/…/[id]/…</c>) and a
/// parameter table (name, Mandatory, type, description); a body is checked for undeclared attributes, mandatory
/// ones, types (string, number, array of strings, dictionary) and enumerations a description spells as
/// <c>(1 - draft, 2 - published)</c>.
/// </summary>
public sealed partial class FreshdeskSolutionsDocs
{
    private readonly string[] _lines;

    private FreshdeskSolutionsDocs(string[] lines) => _lines = lines;

    public static string? FindPath()
    {
        foreach (var start in new[] { NUnit.Framework.TestContext.CurrentContext?.TestDirectory, AppContext.BaseDirectory, Directory.GetCurrentDirectory() }.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "contracts", "freshdesk", "ktsaou-freshdesk_mcp", "FRESHDESK_API_DOCS.txt");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    public static FreshdeskSolutionsDocs Load(string path) => new(File.ReadAllLines(path));

    private sealed record Attribute(string Name, string Type, string Description, bool Mandatory);

    /// <summary>Validates a request against the operation titled <paramref name="operation"/>; an empty list means valid.</summary>
    public IReadOnlyList<string> ValidateRequest(string operation, string method, string path, string? jsonBody)
    {
        var start = Array.FindIndex(_lines, l => l.Trim() == operation);
        if (start < 0)
            return [$"the documentation has no operation '{operation}'"];
        var errors = new List<string>();
        var endpoint = Endpoint().Match(_lines[start + 1].Trim());
        if (!endpoint.Success)
            return [$"'{operation}' names no endpoint on the line after its title"];
        if (!string.Equals(endpoint.Groups["method"].Value, method, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{operation} is {endpoint.Groups["method"].Value.ToUpperInvariant()}, not {method}");
        var template = "^" + Regex.Escape(endpoint.Groups["path"].Value).Replace(@"\[id]", @"\d+", StringComparison.Ordinal) + "$";
        if (!Regex.IsMatch(path, template))
            errors.Add($"{path} does not match {endpoint.Groups["path"].Value}");

        var attributes = Attributes(start + 2).ToDictionary(a => a.Name, StringComparer.Ordinal);
        if (jsonBody is null)
            return errors;
        if (JsonNode.Parse(jsonBody) is not JsonObject body)
            return [.. errors, "the body is not a JSON object"];
        foreach (var missing in attributes.Values.Where(a => a.Mandatory && !body.ContainsKey(a.Name)))
            errors.Add($"missing mandatory attribute {missing.Name}");
        foreach (var (name, value) in body)
        {
            if (!attributes.TryGetValue(name, out var attribute))
            {
                errors.Add($"{name}: not an attribute of {operation}");
                continue;
            }
            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            var ok = attribute.Type switch
            {
                "string" => kind == JsonValueKind.String,
                "number" => kind == JsonValueKind.Number,
                "dictionary" => kind == JsonValueKind.Object,
                "array of strings" => value is JsonArray items && items.All(i => i?.GetValueKind() == JsonValueKind.String),
                "array of numbers" => value is JsonArray items && items.All(i => i?.GetValueKind() == JsonValueKind.Number),
                _ => true,
            };
            if (!ok)
                errors.Add($"{name}: expected {attribute.Type}, got {kind}");
            var allowed = EnumValue().Matches(attribute.Description).Select(m => m.Groups[1].Value).ToList();
            if (ok && kind == JsonValueKind.Number && allowed.Count > 0 && !allowed.Contains(value!.ToJsonString()))
                errors.Add($"{name}: {value!.ToJsonString()} is not one of {string.Join(", ", allowed)}");
        }
        return errors;
    }

    /// <summary>The parameter table after "Parameters" / "Attribute Type Description", up to the sample code.</summary>
    private IEnumerable<Attribute> Attributes(int from)
    {
        var i = from;
        while (i < _lines.Length && !_lines[i].StartsWith("Attribute\tType", StringComparison.Ordinal))
            i++;
        string? name = null;
        var mandatory = false;
        for (i++; i < _lines.Length && !_lines[i].StartsWith("Sample code", StringComparison.Ordinal); i++)
        {
            var line = _lines[i].Trim();
            var cells = line.Split('\t');
            if (cells.Length >= 3)
                yield return new Attribute(cells[0], cells[1], cells[2], false);
            else if (cells.Length == 2 && name is not null)
            {
                yield return new Attribute(name, cells[0], cells[1], mandatory);
                (name, mandatory) = (null, false);
            }
            else if (line is "Mandatory")
                mandatory = true;
            else if (line is not ("Unique" or ""))
                name = line;
        }
    }

    [GeneratedRegex(@"^(?<method>get|post|put|delete)\s+(?<path>/api/v2/\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Endpoint();

    [GeneratedRegex(@"(\d+) - [A-Za-z]+")]
    private static partial Regex EnumValue();
}
