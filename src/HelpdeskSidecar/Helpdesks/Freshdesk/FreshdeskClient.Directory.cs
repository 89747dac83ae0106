using System.Globalization;

namespace HelpdeskSidecar.Helpdesks.Freshdesk;

/// <summary>Agents' names for the reports (View an Agent, one call each). Freshdesk tickets carry no brand the sidecar reads.</summary>
internal sealed partial class FreshdeskClient : IHelpdeskDirectory
{
    public async Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                continue;
            var agent = await _answers.FindAsync(api.ViewAgentAsync(id, ct), ct);
            if (agent?.Contact?.Name is { Length: > 0 } name)
                names[id] = name;
        }
        return names;
    }

    public Task<IReadOnlyDictionary<string, string>> BrandNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}
