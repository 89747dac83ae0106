using System.Globalization;
using Dapper;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using HelpdeskSidecar.Copilot.Redaction;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Helpdesks.Http;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HelpdeskSidecar.Hosting.OpsHealth;

/// <summary>
/// Gathers the ops health report: Hangfire's monitoring API for failed jobs and scheduled retries, our suggestions
/// table for write-backs given up, the inbox for the last webhook per helpdesk and the backlog, the in-memory
/// rate-limit counter, and the optional readiness checks (model, Qdrant). A part that cannot be read says so in the
/// report instead of failing the whole page.
/// </summary>
internal sealed class OpsHealthQuery(
    Database database,
    JobStorage jobs,
    HelpdeskRegistry helpdesks,
    RateLimitWaits waits,
    HealthCheckService checks,
    TimeProvider time)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Scheduled jobs looked at for retries: debounced runs are scheduled too, and far more numerous.</summary>
    private const int ScheduledScan = 1000;

    /// <summary>Events still in the inbox after this long are a backlog (the dispatcher polls every few seconds).</summary>
    public static readonly TimeSpan BacklogAge = TimeSpan.FromMinutes(1);

    /// <summary>The helpdesks that send webhooks (Ingestion).</summary>
    private static readonly string[] WebhookProviders = ["zendesk", Ingestion.FreshdeskWebhookEndpoint.Provider];

    /// <summary>The readiness checks (Hosting/Readiness) that are about the optional dependencies.</summary>
    private static readonly HashSet<string> DependencyChecks = new(StringComparer.Ordinal) { "model", "qdrant" };

    public async Task<OpsHealthReport> GetAsync(int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var jobsHealth = await JobsAsync(limit, ct);
        var writeBacks = await GivenUpAsync(limit, ct);
        var inbox = await InboxAsync(now, ct);
        var dependencies = await DependenciesAsync(ct);
        var rateLimits = new RateLimitHealth(waits.Since, waits.Windows());

        var problems = new List<string>();
        if (jobsHealth.Error is { } error)
            problems.Add($"The job store did not answer: {error}");
        if (jobsHealth.FailedCount > 0)
            problems.Add(Count(jobsHealth.FailedCount, "job has", "jobs have") + " failed");
        if (jobsHealth.RetryingCount > 0)
            problems.Add(Count(jobsHealth.RetryingCount, "job is", "jobs are") + " waiting to be retried");
        if (writeBacks.GivenUpCount > 0)
            problems.Add(Count(writeBacks.GivenUpCount, "note was", "notes were") + " given up after failing to write");
        if (inbox.OldestPendingSeconds is { } age && age >= BacklogAge.TotalSeconds)
            problems.Add($"{Count(inbox.Pending, "webhook event is", "webhook events are")} waiting in the inbox, the oldest for {Ago(TimeSpan.FromSeconds(age))}");
        foreach (var d in dependencies.Where(d => d.Status != "ready"))
            problems.Add($"The {d.Name} is {d.Status.Replace('_', ' ')}{(d.Detail is null ? "" : $": {d.Detail}")}");
        return new OpsHealthReport(now, problems, jobsHealth, writeBacks, inbox, rateLimits, dependencies);
    }

    private async Task<JobsHealth> JobsAsync(int limit, CancellationToken ct)
    {
        try
        {
            // Hangfire's storage API is synchronous.
            var (failedCount, failed, retrying) = await Task.Run(() => ReadJobs(limit), ct);
            var suggestionIds = failed.Concat(retrying).Select(p => p.SuggestionId).OfType<string>().Distinct().ToArray();
            var tickets = await TicketsOfAsync(suggestionIds, ct);
            JobProblem WithTicket(JobProblem p) => p.SuggestionId is { } id && tickets.TryGetValue(id, out var t) ? p with { Provider = t.Provider, TicketId = t.TicketId } : p;
            return new JobsHealth(SchedulingExtensions.DashboardPath, failedCount, retrying.Count,
                [.. failed.Select(WithTicket)], [.. retrying.Take(limit).Select(WithTicket)], null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new JobsHealth(SchedulingExtensions.DashboardPath, 0, 0, [], [], OneLine(ex.Message));
        }
    }

    private (long FailedCount, List<JobProblem> Failed, List<JobProblem> Retrying) ReadJobs(int limit)
    {
        var monitoring = jobs.GetMonitoringApi();
        using var connection = jobs.GetConnection();
        var failed = new List<JobProblem>();
        foreach (var (id, dto) in monitoring.FailedJobs(0, limit))
        {
            if (dto is null)
                continue;
            failed.Add(Describe(id, dto.Job, AttemptsBefore(connection, id) + 1, At(dto.FailedAt), dto.ExceptionType, dto.ExceptionMessage));
        }
        var retrying = new List<JobProblem>();
        foreach (var (id, dto) in monitoring.ScheduledJobs(0, ScheduledScan))
        {
            if (dto is null || !dto.InScheduledState)
                continue;
            var retries = AttemptsBefore(connection, id);
            if (retries == 0)
                continue; // never failed: a debounced run, or a first wait for a Retry-After
            // The failure that led to this retry is the newest Failed state in the job's history.
            var lastFailure = monitoring.JobDetails(id)?.History?.Where(h => h.StateName == FailedState.StateName).MaxBy(h => h.CreatedAt)?.Data;
            retrying.Add(Describe(id, dto.Job, retries, At(dto.EnqueueAt),
                ValueOf(lastFailure, "ExceptionType"), ValueOf(lastFailure, "ExceptionMessage")));
        }
        return (monitoring.FailedCount(), failed, retrying);
    }

    private static string? ValueOf(IDictionary<string, string>? data, string key) => data is not null && data.TryGetValue(key, out var value) ? value : null;

    /// <summary>Hangfire's retry count so far (the job parameter its retry filter keeps), 0 without one.</summary>
    private static int AttemptsBefore(IStorageConnection connection, string jobId) =>
        int.TryParse(connection.GetJobParameter(jobId, JobRetry.RetryCountParameter)?.Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static DateTimeOffset? At(DateTime? utc) => utc is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    /// <summary>Which job, for which ticket, from its method and arguments (a job whose type no longer loads has neither).</summary>
    private static JobProblem Describe(string id, Hangfire.Common.Job? job, int attempt, DateTimeOffset? at, string? exceptionType, string? message)
    {
        var args = job?.Args;
        var (kind, provider, ticket, suggestion) = job?.Type switch
        {
            { } t when t == typeof(TicketPipelineJob) && args is { Count: >= 2 } => ("pipeline", args[0] as string, args[1] as string, (string?)null),
            { } t when t == typeof(WriteBackJob) && args is { Count: >= 1 } => ("write_back", null, null, args[0] as string),
            { } t => (t.Name + "." + job!.Method.Name, null, null, null),
            null => ("unknown", null, null, null),
        };
        return new JobProblem(id, kind, provider, ticket, suggestion, Math.Max(1, attempt), at, exceptionType, message is null ? null : OneLine(message));
    }

    /// <summary>
    /// An exception's message as the page may show it: the first line, personal data redacted (a message from deep in a
    /// library could quote what it was given), at most 200 characters. Never the details (the stack trace).
    /// </summary>
    internal static string OneLine(string message) => Excerpt.Of(PiiRedactor.Redact(FirstLine(message), new RedactionMap()), 200);

    private static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();

    private async Task<Dictionary<string, (string Provider, string TicketId)>> TicketsOfAsync(string[] suggestionIds, CancellationToken ct)
    {
        if (suggestionIds.Length == 0)
            return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Provider, string TicketId)>(new CommandDefinition(
            $"SELECT id, provider, ticket_id FROM suggestions WHERE {database.Sql.In("id", "@ids")}", new { ids = suggestionIds }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => (r.Provider, r.TicketId), StringComparer.Ordinal);
    }

    private async Task<WriteBacksHealth> GivenUpAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var args = new { failed = nameof(SuggestionStatus.WriteFailed), limit };
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM suggestions WHERE status = @failed", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<(string Id, string Provider, string TicketId, string CreatedAt, long Attempts, string? Reason)>(new CommandDefinition(
            """
            SELECT id, provider, ticket_id, created_at, write_attempts, status_reason FROM suggestions
            WHERE status = @failed ORDER BY created_at DESC, id LIMIT @limit
            """, args, cancellationToken: ct));
        return new WriteBacksHealth(count, [.. rows.Select(r => new GivenUpWriteBack(
            r.Id, r.Provider, r.TicketId, DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture), (int)r.Attempts, r.Reason is null ? null : Excerpt.Of(FirstLine(r.Reason), 300)))]);
    }

    private async Task<InboxHealth> InboxAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var (pending, oldest) = await connection.QuerySingleAsync<(long Pending, string? Oldest)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(received_at) FROM inbox_events WHERE dispatched_at IS NULL", cancellationToken: ct));
        var last = new List<LastWebhook>();
        foreach (var provider in WebhookProviders)
        {
            // Newest first along the (provider, id) index: ids grow with arrival.
            var receivedAt = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT received_at FROM inbox_events WHERE provider = @provider ORDER BY id DESC LIMIT 1", new { provider }, cancellationToken: ct));
            if (receivedAt is null && !helpdesks.TryGet(provider, out _))
                continue; // neither connected nor ever heard from
            var at = receivedAt is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(receivedAt, CultureInfo.InvariantCulture);
            last.Add(new LastWebhook(provider, at, at is { } a ? SecondsBetween(a, now) : null));
        }
        var oldestAt = oldest is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(oldest, CultureInfo.InvariantCulture);
        return new InboxHealth(pending, oldestAt, oldestAt is { } o ? SecondsBetween(o, now) : null, last);
    }

    private static double SecondsBetween(DateTimeOffset then, DateTimeOffset now) => Math.Round(Math.Max(0, (now - then).TotalSeconds), 1);

    private async Task<IReadOnlyList<DependencyHealth>> DependenciesAsync(CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(r => DependencyChecks.Contains(r.Name), ct);
        return [.. report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new DependencyHealth(
            e.Key,
            e.Value.Status switch { HealthStatus.Healthy => "ready", HealthStatus.Degraded => "degraded", _ => "not_ready" },
            (e.Value.Description ?? e.Value.Exception?.Message) is { } text ? Excerpt.Of(text.ReplaceLineEndings(" "), 300) : null))];
    }

    /// <summary>"1 job has" / "3 jobs have".</summary>
    private static string Count(long n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    /// <summary>How long ago, in the largest unit that reads well: "45 s", "12 min", "3 h 5 min", "2 d 4 h".</summary>
    public static string Ago(TimeSpan span) => span switch
    {
        { TotalSeconds: < 90 } => $"{Math.Max(0, (int)span.TotalSeconds)} s",
        { TotalMinutes: < 90 } => $"{(int)span.TotalMinutes} min",
        { TotalHours: < 48 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        _ => $"{(int)span.TotalDays} d {span.Hours} h",
    };
}
