using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Zendesk;

/// <summary>Agents' and brands' names for the reports: Show Many Users (100 ids a call) and Show Brand.</summary>
internal sealed partial class ZendeskClient : IHelpdeskDirectory
{
    public async Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var numeric = ids.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).Where(n => n > 0).Distinct().Order();
        foreach (var chunk in numeric.Chunk(ShowManyLimit))
        {
            var found = await _answers.FindAsync(api.ShowManyUsersAsync(chunk, ct), ct);
            foreach (var user in found?.Users ?? [])
            {
                if (user.Name is { Length: > 0 } name)
                    names[user.Id.ToString(CultureInfo.InvariantCulture)] = name;
            }
        }
        return names;
    }

    public async Task<IReadOnlyDictionary<string, string>> BrandNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var brandId) || brandId <= 0)
                continue;
            var brand = (await _answers.FindAsync(api.ShowBrandAsync(brandId, ct), ct))?.Brand;
            if (brand?.Name is { Length: > 0 } name)
                names[id] = name;
        }
        return names;
    }
}
