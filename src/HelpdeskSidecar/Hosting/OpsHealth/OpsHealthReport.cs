using System.Text.Json.Serialization;
using HelpdeskSidecar.Helpdesks.Http;

namespace HelpdeskSidecar.Hosting.OpsHealth;

/// <summary>
/// "Is anything stuck or failing right now?": what <c>/console/health</c> shows and <c>GET /api/health/ops</c> answers.
/// Ids, counts, times and one-line reasons only: no ticket text, no customer data, no stack traces.
/// </summary>
internal sealed record OpsHealthReport(
    DateTimeOffset GeneratedAt,
    IReadOnlyList<string> Problems,
    JobsHealth Jobs,
    WriteBacksHealth WriteBacks,
    InboxHealth Inbox,
    RateLimitHealth RateLimits,
    IReadOnlyList<DependencyHealth> Dependencies);

/// <param name="Error">Set when the job store did not answer; the lists are empty then.</param>
internal sealed record JobsHealth(string DashboardUrl, long FailedCount, long RetryingCount, IReadOnlyList<JobProblem> Failed, IReadOnlyList<JobProblem> Retrying, string? Error);

/// <param name="Job"><c>pipeline</c>, <c>write_back</c>, or the method's name for another job.</param>
/// <param name="Attempt">The run that failed (1 = the first).</param>
/// <param name="At">When it failed (failed jobs), or when it runs again (retries).</param>
/// <param name="ExceptionType">The exception's full type name.</param>
/// <param name="Message">The exception's message: its first line, personal data redacted, at most 200 characters.</param>
internal sealed record JobProblem(
    string JobId, string Job, string? Provider, string? TicketId, string? SuggestionId, int Attempt, DateTimeOffset? At, string? ExceptionType, string? Message);

internal sealed record WriteBacksHealth(long GivenUpCount, IReadOnlyList<GivenUpWriteBack> GivenUp);

/// <param name="Reason">Why it was given up, in the write-back's own words (the helpdesk's status, the attempts made; no ticket text), first line.</param>
internal sealed record GivenUpWriteBack(string SuggestionId, string Provider, string TicketId, DateTimeOffset CreatedAt, int Attempts, string? Reason);

/// <param name="Pending">Events acknowledged (202) but not yet handed to a job.</param>
internal sealed record InboxHealth(long Pending, DateTimeOffset? OldestPendingAt, double? OldestPendingSeconds, IReadOnlyList<LastWebhook> LastWebhooks);

/// <param name="ReceivedAt">Null: none received yet.</param>
internal sealed record LastWebhook(string Provider, DateTimeOffset? ReceivedAt, double? SecondsAgo);

/// <param name="Since">When this replica started counting (the counts are per replica, in memory).</param>
internal sealed record RateLimitHealth(DateTimeOffset Since, IReadOnlyList<RateLimitWaitWindow> Waits);

/// <param name="Status"><c>ready</c>, <c>degraded</c> or <c>not_ready</c>, as <c>/readyz</c> says it.</param>
internal sealed record DependencyHealth(string Name, string Status, string? Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OpsHealthReport))]
[JsonSerializable(typeof(WriteBackRetryAnswer))]
internal sealed partial class OpsHealthJsonContext : JsonSerializerContext;

/// <param name="Outcome"><c>queued</c>, or <c>not_given_up</c> (already queued again, or written: nothing done).</param>
internal sealed record WriteBackRetryAnswer(string SuggestionId, string Outcome);
