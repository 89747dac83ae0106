using System.Text;

namespace HelpdeskSidecar.Suggestions.Routing;

/// <summary>The routing lines of the internal note: what is suggested, and what is (or in Shadow mode would be) applied.</summary>
internal static class RouteNote
{
    public static void Append(StringBuilder note, IReadOnlyList<RouteDecision> routes)
    {
        var suggested = routes.Where(r => r.Action == RouteDecision.SuggestOnly).ToList();
        var applied = routes.Where(r => r.Action == RouteDecision.Apply).ToList();
        if (suggested.Count > 0)
            note.AppendLine().AppendLine($"Suggested route: {Describe(suggested)}");
        if (applied.Count > 0)
            note.AppendLine().AppendLine($"Auto-route (applied in Live mode): {Describe(applied)}");
    }

    private static string Describe(IEnumerable<RouteDecision> routes) =>
        string.Join("; ", routes.GroupBy(r => r.Rule).Select(g => $"{string.Join(", ", g.Select(r => r.Label))} (rule {g.Key})"));
}
