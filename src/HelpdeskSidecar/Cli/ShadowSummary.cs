using System.Globalization;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;
using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>Prints a shadow evaluation: expected acceptance per intent (shared by <c>replay</c> and <c>demo</c>).</summary>
internal static class ShadowSummary
{
    /// <param name="tags">Tag precision as <c>report tags</c> reads it from the data dir (the replay settled it there).</param>
    public static void Print(IReadOnlyList<ShadowRow> rows, IReadOnlyList<Suggestions.Tagging.TagPrecision> tags)
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
        Console.WriteLine(TagLine(tags));
    }

    /// <summary>The totals of <c>report tags</c>: tags applied or suggested, and how many the agents kept on the final ticket.</summary>
    internal static string TagLine(IReadOnlyList<Suggestions.Tagging.TagPrecision> tags)
    {
        var kept = tags.Sum(t => t.Kept);
        var settled = kept + tags.Sum(t => t.Dropped);
        return settled == 0
            ? "Tag precision: no tags applied or suggested (no history imported: samples/history/past-tickets.csv), as 'report tags' shows."
            : FormattableString.Invariant(
                $"Tag precision: {100.0 * kept / settled:0}% ({kept}/{settled} applied or suggested tags kept on the ticket, {tags.Count} tags; per tag: 'report tags')");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
