using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// Test-side checker for Update a Ticket requests sent to Freshdesk, against the recorded API documentation
/// (shared/contracts/freshdesk/ktsaou-freshdesk_mcp/FRESHDESK_API_DOCS.txt): the method and path the section names,
/// every body attribute one of its Parameters table, each of the documented type (number, string, dictionary, array of
/// strings), and <c>priority</c> one of the Ticket Properties values (1 Low … 4 Urgent). Freshdesk publishes no OpenAPI
/// document, so the table is the contract.
/// </summary>
public sealed partial class FreshdeskApiDocs
{
    private readonly Dictionary<string, string> _updateTicket;
    private readonly HashSet<int> _priorities;

    private FreshdeskApiDocs(Dictionary<string, string> updateTicket, HashSet<int> priorities)
    {
        _updateTicket = updateTicket;
        _priorities = priorities;
    }

    public IReadOnlyDictionary<string, string> UpdateTicketAttributes => _updateTicket;

    public static string? FindPath()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "contracts", "freshdesk", "ktsaou-freshdesk_mcp", "FRESHDESK_API_DOCS.txt");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static FreshdeskApiDocs Load(string path)
    {
        var lines = File.ReadAllLines(path);
        // The section: "Update a Ticket" then "put  /api/v2/tickets/[id]", its Parameters table up to "* Refer Ticket properties".
        var start = Enumerable.Range(0, lines.Length - 1)
            .First(i => lines[i].Trim() == "Update a Ticket" && lines[i + 1].Trim().StartsWith("put ", StringComparison.Ordinal) && lines[i + 1].TrimEnd().EndsWith("/api/v2/tickets/[id]", StringComparison.Ordinal));
        var header = Array.FindIndex(lines, start, l => l.StartsWith("Attribute\tType", StringComparison.Ordinal));
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = header + 1; i < lines.Length && !lines[i].StartsWith("* Refer", StringComparison.Ordinal); i++)
        {
            var cells = lines[i].Split('\t');
            if (cells.Length >= 3)
                attributes[cells[0].TrimEnd('*', ' ')] = cells[1].Trim();
        }
        var table = Array.FindIndex(lines, header, l => l.StartsWith("Priority\tValue", StringComparison.Ordinal));
        var priorities = new HashSet<int>();
        for (var i = table + 1; i < lines.Length && PropertyRow().Match(lines[i]) is { Success: true } row; i++)
            priorities.Add(int.Parse(row.Groups["value"].Value, CultureInfo.InvariantCulture));
        return new FreshdeskApiDocs(attributes, priorities);
    }

    /// <summary>An empty list means the request is an Update a Ticket the documentation allows.</summary>
    public IReadOnlyList<string> ValidateUpdateTicket(string method, string pathAndQuery, string? body)
    {
        var errors = new List<string>();
        if (method != "PUT" || !TicketPath().IsMatch(pathAndQuery))
            errors.Add($"not Update a Ticket: {method} {pathAndQuery}");
        using var json = JsonDocument.Parse(body ?? "null");
        if (json.RootElement.ValueKind != JsonValueKind.Object)
            return [.. errors, "the body is not a JSON object"];
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (!_updateTicket.TryGetValue(property.Name, out var type))
            {
                errors.Add($"'{property.Name}' is not an attribute of Update a Ticket");
                continue;
            }
            var v = property.Value;
            var fits = type switch
            {
                "number" or "Integer" => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _),
                "string" => v.ValueKind == JsonValueKind.String,
                "dictionary" => v.ValueKind == JsonValueKind.Object,
                "array of strings" => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
                _ => true,
            };
            if (!fits)
                errors.Add($"'{property.Name}' must be {type}, not {v.ValueKind}");
            if (property.Name == "priority" && v.ValueKind == JsonValueKind.Number && !_priorities.Contains(v.GetInt32()))
                errors.Add($"priority {v.GetInt32()} is not one of {string.Join(", ", _priorities.Order())}");
        }
        return errors;
    }

    [GeneratedRegex(@"^/api/v2/tickets/\d+$")]
    private static partial Regex TicketPath();

    [GeneratedRegex(@"^(Low|Medium|High|Urgent)\t(?<value>\d+)$")]
    private static partial Regex PropertyRow();
}
