using System.Text.Json.Serialization;
using HelpdeskSidecar.Copilot.History;
using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Reports.Resolution;

/// <param name="Tickets">Drafted tickets in the group (one row per ticket, labelled by its latest draft).</param>
/// <param name="Verified">Solved, and the window closed without a reopen or a new ticket on the same theme.</param>
/// <param name="Pending">Solved, the window still open: not counted as resolved (nor as failed) yet.</param>
/// <param name="Open">Not solved yet.</param>
/// <param name="VerifiedResolutionRate">verified / (verified + reopened + recontacted); null when none is decided.</param>
/// <param name="AcceptanceRate">Of the same drafts, as the acceptance report counts it: (sent as is + edited) / (with a verdict − no reply).</param>
/// <param name="AcceptedVerifiedRate">Of the decided tickets whose draft was accepted (sent as is or edited), the share verified-resolved.</param>
internal sealed record ResolutionGroup(
    string Key, int Tickets, int Solved, int Verified, int Reopened, int Recontacted, int Pending, int Open,
    double? VerifiedResolutionRate, double? AcceptanceRate, int Accepted, double? AcceptedVerifiedRate);

internal sealed record ResolutionReport(string? From, string? To, string By, double WindowDays, string AsOf, IReadOnlyList<ResolutionGroup> Groups, ResolutionGroup Total)
{
    public static readonly string[] Groupings = ["intent", "agent", "brand", "week"];

    public static ResolutionReport Build(IReadOnlyList<ResolutionFact> facts, DateOnly? from, DateOnly? to, string by, DateTimeOffset now, TimeSpan window,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        string Label(string key) => by is "agent" or "brand" && labels?.GetValueOrDefault($"{by}:{key}") is { } name ? name : key;
        var groups = facts
            .SelectMany(f => ReportGroupings.KeysOf(f.Draft, by).Select(k => (Key: k, Fact: f)))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .Select(g => Group(Label(g.Key), g.Select(x => x.Fact).ToList(), now, window))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new ResolutionReport(AcceptanceReport.Day(from), AcceptanceReport.Day(to), by, Math.Round(window.TotalDays, 4),
            now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            groups, Group(AcceptanceReport.TotalKey, facts, now, window));
    }

    public static ResolutionGroup Group(string key, IReadOnlyCollection<ResolutionFact> facts, DateTimeOffset now, TimeSpan window)
    {
        var outcomes = facts.Select(f => (Fact: f, Outcome: f.OutcomeAt(now, window))).ToList();
        int Count(string outcome) => outcomes.Count(o => o.Outcome == outcome);
        var verified = Count(ResolutionOutcomes.Verified);
        var reopened = Count(ResolutionOutcomes.Reopened);
        var recontacted = Count(ResolutionOutcomes.Recontacted);
        var decided = verified + reopened + recontacted;
        var accepted = outcomes.Where(o => o.Fact.Draft.Verdict is Verdicts.SentAsIs or Verdicts.Edited).ToList();
        var acceptedDecided = accepted.Count(o => o.Outcome is ResolutionOutcomes.Verified or ResolutionOutcomes.Reopened or ResolutionOutcomes.Recontacted);
        return new ResolutionGroup(key, facts.Count, facts.Count(f => f.SolvedAt is not null), verified, reopened, recontacted,
            Count(ResolutionOutcomes.Pending), Count(ResolutionOutcomes.Open),
            decided == 0 ? null : Math.Round((double)verified / decided, 4),
            AcceptanceReport.Group(key, facts.Select(f => f.Draft).ToList()).AcceptanceRate,
            accepted.Count,
            acceptedDecided == 0 ? null : Math.Round((double)accepted.Count(o => o.Outcome == ResolutionOutcomes.Verified) / acceptedDecided, 4));
    }

    public static readonly string[] Columns =
        ["key", "tickets", "solved", "verified", "reopened", "recontacted", "pending", "open", "verified_resolution_rate", "acceptance_rate", "accepted", "accepted_verified_rate"];

    public static string[] Cells(ResolutionGroup g) =>
    [
        g.Key, ReportCsv.Cell(g.Tickets), ReportCsv.Cell(g.Solved), ReportCsv.Cell(g.Verified), ReportCsv.Cell(g.Reopened), ReportCsv.Cell(g.Recontacted),
        ReportCsv.Cell(g.Pending), ReportCsv.Cell(g.Open), ReportCsv.Cell(g.VerifiedResolutionRate), ReportCsv.Cell(g.AcceptanceRate),
        ReportCsv.Cell(g.Accepted), ReportCsv.Cell(g.AcceptedVerifiedRate),
    ];

    /// <summary>RFC 4180: a header, one row per group, then the total.</summary>
    public string ToCsv() => ReportCsv.Write(Columns, Groups.Append(Total).Select(Cells));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(ResolutionReport))]
internal sealed partial class ResolutionJsonContext : JsonSerializerContext;
