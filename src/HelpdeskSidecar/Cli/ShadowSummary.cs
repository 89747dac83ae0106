using System.Globalization;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>Prints a shadow evaluation: expected acceptance per intent (shared by <c>replay</c> and <c>demo</c>).</summary>
internal static class ShadowSummary
{
    public static void Print(IReadOnlyList<ShadowRow> rows)
    {
        var (groups, total) = ShadowEvaluation.Summarize(rows);
        var gaps = rows.Count(r => r.Suggestion?.Kind == SuggestionKind.KnowledgeGap);
        var table = new Table().AddColumns("Intent", "Drafts", "sent_as_is", "edited", "rejected", "no_reply", "Expected acceptance", "Median similarity");
        foreach (var g in groups.Append(total))
        {
            table.AddRow(
                Markup.Escape(g.Key), Invariant(g.Suggestions), Invariant(g.SentAsIs), Invariant(g.Edited), Invariant(g.Rejected), Invariant(g.NoReply),
                g.AcceptanceRate is { } rate ? rate.ToString("0%", CultureInfo.InvariantCulture) : "-",
                g.MedianSimilarity?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-");
        }
        Console.WriteLine();
        Console.WriteLine("Shadow evaluation: each draft scored against the reply the agent really sent (same verdicts as live tracking).");
        ConsoleOutput.Current().Write(table);
        Console.WriteLine($"Tickets: {rows.Count}   drafts: {total.Suggestions}   knowledge gaps (no draft, no verdict): {gaps}   no suggestion: {rows.Count(r => r.Suggestion is null)}");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
