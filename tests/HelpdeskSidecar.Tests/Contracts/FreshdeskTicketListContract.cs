using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// Test-side checker for Freshdesk's List All Tickets (<c>GET /api/v2/tickets</c>) against the recorded API documentation
/// (shared/contracts/freshdesk/ktsaou-freshdesk_mcp/FRESHDESK_API_DOCS.txt): the path, and every query parameter must be
/// one the "List All Tickets" section names (<c>requester_id</c>, <c>order_by</c>, <c>order_type</c>, <c>per_page</c>…),
/// with the values it lists for <c>order_by</c> and <c>order_type</c>.
/// </summary>
public sealed partial class FreshdeskTicketListContract
{
    private readonly string _section;

    private FreshdeskTicketListContract(string section) => _section = section;

    public static string? FindDocsPath()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "contracts", "freshdesk", "ktsaou-freshdesk_mcp", "FRESHDESK_API_DOCS.txt");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static FreshdeskTicketListContract Load(string path)
    {
        var text = File.ReadAllText(path);
        var start = text.IndexOf("List All Tickets\nget  /api/v2/tickets", StringComparison.Ordinal);
        if (start < 0)
            throw new InvalidOperationException("The docs have no 'List All Tickets' section.");
        var end = text.IndexOf("EXPAND", text.IndexOf("Additional Examples", start, StringComparison.Ordinal), StringComparison.Ordinal);
        return new FreshdeskTicketListContract(text[start..(end < 0 ? text.Length : end)]);
    }

    /// <summary>An empty list means the request is one the section documents.</summary>
    public IReadOnlyList<string> ValidateRequest(string method, string pathAndQuery)
    {
        var errors = new List<string>();
        var (path, query) = pathAndQuery.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? (pathAndQuery[..at], pathAndQuery[(at + 1)..]) : (pathAndQuery, "");
        if (method != "GET" || path != "/api/v2/tickets")
            errors.Add($"not List All Tickets: {method} {path}");
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(pair.Split('=')[0]);
            var value = pair.Contains('=', StringComparison.Ordinal) ? Uri.UnescapeDataString(pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]) : "";
            if (!Regex.IsMatch(_section, $@"[?&]{Regex.Escape(name)}="))
                errors.Add($"query parameter '{name}' is not documented for List All Tickets");
            else if (name == "order_by" && !SortFields().Match(_section).Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Contains(value))
                errors.Add($"order_by '{value}' is not a documented sort field");
            else if (name == "order_type" && value is not ("asc" or "desc"))
                errors.Add($"order_type '{value}' is not asc or desc");
            else if (name is "requester_id" or "per_page" or "page" && !long.TryParse(value, out _))
                errors.Add($"{name} '{value}' is not a number");
        }
        return errors;
    }

    [GeneratedRegex(@"Sort by\s+Handle\s+([a-z_, ]+?)\s+/api/v2/tickets\?order_by=")]
    private static partial Regex SortFields();
}
