using System.Text.RegularExpressions;
using HelpdeskSidecar.Helpdesks;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>A short summary of a thread for the human who takes over: problem, what was tried, next step; <paramref name="By"/> says who wrote it.</summary>
internal sealed record ThreadSummary(string Problem, IReadOnlyList<string> Tried, string NextStep, string By = ThreadSummarizer.Version);

/// <summary>Summarizes a redacted thread: <see cref="OfflineThreadSummarizer"/> without a model, <see cref="LlmThreadSummarizer"/> with one.</summary>
internal interface IThreadSummarizer
{
    Task<ThreadSummary> SummarizeAsync(HelpdeskTicket redacted, Ai.ModelLedger ledger, CancellationToken ct);
}

/// <summary>The extractive summarizer behind the <see cref="IThreadSummarizer"/> seam; registered when no chat model is configured.</summary>
internal sealed class OfflineThreadSummarizer : IThreadSummarizer
{
    public Task<ThreadSummary> SummarizeAsync(HelpdeskTicket redacted, Ai.ModelLedger ledger, CancellationToken ct) =>
        Task.FromResult(ThreadSummarizer.Summarize(redacted));
}

/// <summary>
/// Picks sentences from the (redacted) thread, writes none of its own beyond the next-step frame:
/// the problem is the subject and the customer's first sentence; "tried" are sentences that report an attempt
/// (tried, already, restarted, still…), newest last; the next step is the customer's latest question, if any.
/// </summary>
internal static partial class ThreadSummarizer
{
    public const string Version = "extractive-thread/v1";
    private const int MaxTried = 3;
    private const int MaxLength = 240;

    /// <summary>Public messages in the thread (the description counts as one when there are no comments).</summary>
    public static int Length(HelpdeskTicket ticket) => Math.Max(1, ticket.Comments.Count(c => c.IsPublic));

    public static ThreadSummary Summarize(HelpdeskTicket ticket)
    {
        var publicComments = ticket.Comments.Where(c => c.IsPublic).ToList();
        var customer = publicComments.Where(c => c.AuthorRole == AuthorRole.EndUser).ToList();
        var first = customer.FirstOrDefault()?.Body ?? ticket.Description;
        var opening = Sentences(first).FirstOrDefault();
        var problem = string.IsNullOrWhiteSpace(ticket.Subject) ? opening ?? "(no description)"
            : opening is null ? ticket.Subject.Trim() : $"{ticket.Subject.Trim()} — {opening}";

        var tried = publicComments
            .SelectMany(c => Sentences(c.Body).Select(s => (c.AuthorRole, Sentence: s)))
            .Where(x => Attempt().IsMatch(x.Sentence))
            .Select(x => x.AuthorRole == AuthorRole.EndUser ? $"Customer: {x.Sentence}" : $"Agent: {x.Sentence}")
            .Distinct()
            .TakeLast(MaxTried)
            .ToList();

        var question = customer.Count == 0 ? null : Sentences(customer[^1].Body).LastOrDefault(s => s.EndsWith('?'));
        var next = question is null
            ? "Read the latest customer message and reply personally."
            : $"Answer the customer's latest question personally: \"{question}\"";
        return new ThreadSummary(Clip(problem), tried.Select(Clip).ToList(), Clip(next));
    }

    private static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(text.Replace('\n', ' ')).Select(s => s.Trim()).Where(s => s.Length >= 3);

    internal static string Clip(string s) => s.Length <= MaxLength ? s : s[..(MaxLength - 1)].TrimEnd() + "…";

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\b(tried|already|restarted|reinstalled|rebooted|cleared|reset|checked|followed|still|again|didn'?t work|doesn'?t work|did not work|no luck)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Attempt();
}
