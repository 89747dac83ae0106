using System.Globalization;
using System.Text.Json;

namespace HelpdeskSidecar.Helpdesks;

/// <summary>
/// What the helpdesk says about who is asking: the requester's tags and fields, and their organization's
/// (Zendesk organization, Freshdesk company). Policy segments (<c>vip</c>, <c>enterprise</c>…) are derived from it.
/// It may hold personal data (custom fields), so it lives in memory only: it is never stored, logged or traced;
/// only the names of the segments it falls in are.
/// </summary>
internal sealed record HelpdeskCustomer(
    IReadOnlyList<string> UserTags,
    IReadOnlyDictionary<string, IReadOnlyList<string>> UserFields,
    IReadOnlyList<string> OrganizationTags,
    IReadOnlyDictionary<string, IReadOnlyList<string>> OrganizationFields)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoFields = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>No requester data (a replay export, a deleted user): the customer is in no segment.</summary>
    public static HelpdeskCustomer Unknown { get; } = new([], NoFields, [], NoFields);

    /// <summary>
    /// Custom field values as text: strings as they are, numbers invariant, booleans <c>true</c>/<c>false</c>,
    /// multi-select arrays one value per item; nulls are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Fields(IEnumerable<KeyValuePair<string, JsonElement>>? fields)
    {
        if (fields is null)
            return NoFields;
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in fields)
        {
            var values = (value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value]).Select(Text).OfType<string>().ToList();
            if (values.Count > 0)
                result[key] = values;
        }
        return result;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
