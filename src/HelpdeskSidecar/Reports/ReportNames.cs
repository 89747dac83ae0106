using System.Collections.Concurrent;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Reports;

/// <summary>
/// Names for the agent and brand ids a report groups by. Names the sidecar already keeps (<see cref="HelpdeskNames"/>,
/// from the tickets it loaded) come first; the ids still without one are asked of their helpdesk
/// (<see cref="IHelpdeskDirectory"/>) and kept for next time. An id the helpdesk does not know, or cannot be asked about
/// now, stays an id: it is not asked about again for <see cref="RetryAfter"/> (<see cref="RetryAfterFailure"/> after a
/// failure), so a report page never waits on a helpdesk that is down.
/// </summary>
internal sealed partial class ReportNames(HelpdeskNames names, HelpdeskRegistry helpdesks, ReportNames.Misses misses, TimeProvider time, ILogger<ReportNames> logger)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromHours(1);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    /// <summary>At most this many ids asked for per report, so one report cannot spend the helpdesk's rate limit.</summary>
    public const int MaxLookups = 200;

    /// <summary>"agent:5002" → "Priya Nair", "brand:360001" → "Parcelly", as <see cref="AcceptanceReport.Build"/> takes them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LabelsAsync(IReadOnlyCollection<AcceptanceFact> facts, CancellationToken ct)
    {
        var labels = new Dictionary<string, string>(await names.LabelsAsync(ct), StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var wanted = facts
            .SelectMany(f => new[] { (f.Provider, Kind: HelpdeskNames.Agent, Id: f.AgentId), (f.Provider, Kind: HelpdeskNames.Brand, Id: f.BrandId) })
            .Where(x => x.Provider is not null && x.Id is { Length: > 0 } && !labels.ContainsKey($"{x.Kind}:{x.Id}"))
            .Select(x => (Provider: x.Provider!, x.Kind, Id: x.Id!))
            .Distinct()
            .Where(x => !misses.Until.TryGetValue(x, out var until) || until <= now)
            .Take(MaxLookups)
            .ToList();
        foreach (var byProvider in wanted.GroupBy(x => x.Provider, StringComparer.OrdinalIgnoreCase))
        {
            if (!helpdesks.TryGet(byProvider.Key, out var helpdesk) || helpdesk is not IHelpdeskDirectory directory)
                continue; // the replay export and a helpdesk no longer configured cannot say more than they said
            foreach (var byKind in byProvider.GroupBy(x => x.Kind, StringComparer.Ordinal))
            {
                var ids = byKind.Select(x => x.Id).ToList();
                IReadOnlyDictionary<string, string> found;
                try
                {
                    found = byKind.Key == HelpdeskNames.Agent ? await directory.AgentNamesAsync(ids, ct) : await directory.BrandNamesAsync(ids, ct);
                }
                catch (Exception ex) when (ex is HelpdeskException or HttpRequestException || ex is TaskCanceledException && !ct.IsCancellationRequested)
                {
                    LogLookupFailed(logger, byProvider.Key, byKind.Key, ids.Count, ex.GetType().Name);
                    foreach (var id in ids)
                        misses.Until[(byProvider.Key, byKind.Key, id)] = now + RetryAfterFailure;
                    continue;
                }
                foreach (var id in ids.Where(id => !found.ContainsKey(id)))
                    misses.Until[(byProvider.Key, byKind.Key, id)] = now + RetryAfter;
                await names.RememberAsync(byProvider.Key, found.Select(n => (byKind.Key, n.Key, n.Value)).ToList(), ct);
                foreach (var (id, name) in found)
                    labels[$"{byKind.Key}:{id}"] = name;
            }
        }
        return labels;
    }

    /// <summary>Ids recently asked about and not named, with when they may be asked about again (one per process).</summary>
    internal sealed class Misses
    {
        public ConcurrentDictionary<(string Provider, string Kind, string Id), DateTimeOffset> Until { get; } = new();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask {Helpdesk} for {Count} {Kind} names ({Error}); the report shows their ids")]
    private static partial void LogLookupFailed(ILogger logger, string helpdesk, string kind, int count, string error);
}
