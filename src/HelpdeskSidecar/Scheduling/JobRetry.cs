using Hangfire.Common;
using Hangfire.States;
using HelpdeskSidecar.Configuration;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// An expected failure (the helpdesk is down or slow), already logged by the job in one line: Hangfire moves the job
/// to Failed, and <see cref="JobRetry.Policy"/> to Scheduled for the next attempt. No inner exception, so no stack trace.
/// </summary>
internal sealed class JobRetryException(string message) : Exception(message);

/// <summary>The helpdesk said when to come back (<c>Retry-After</c>): the job is scheduled for then, without using up an attempt.</summary>
internal sealed class RetryAfterException(DateTimeOffset until, string reason) : Exception(reason)
{
    public DateTimeOffset Until { get; } = until;
}

/// <summary>Retries as Hangfire states, with our backoff; built per host from <c>Sidecar:Scheduling</c>.</summary>
internal static class JobRetry
{
    /// <summary>The job parameter in which Hangfire's <see cref="Hangfire.AutomaticRetryAttribute"/> counts retries so far.</summary>
    public const string RetryCountParameter = "RetryCount";

    /// <summary>
    /// <c>MaxRetries</c> counts every run, the first included; Hangfire counts retries. The jobs give up themselves on
    /// their last run for expected failures (and say so in one line); an unexpected exception on the last run leaves
    /// the job Failed in the dashboard, where an ops lead can retry it.
    /// </summary>
    public static Hangfire.AutomaticRetryAttribute Policy(SchedulingOptions options, Random random) => new()
    {
        Attempts = options.MaxRetries - 1,
        DelayInSecondsByAttemptFunc = attempt => DelaySeconds(options, attempt, random.NextDouble()),
        OnAttemptsExceeded = Hangfire.AttemptsExceededAction.Fail,
        LogEvents = false, // every failure was logged by the job itself, once
    };

    /// <summary>Exponential from <c>RetryInitialDelay</c>, doubling, capped at <c>RetryMaxDelay</c>, ±20% jitter, whole seconds (at least one).</summary>
    /// <param name="attempt">The retry about to be scheduled, from 1.</param>
    /// <param name="sample">A random number in [0, 1).</param>
    public static int DelaySeconds(SchedulingOptions options, long attempt, double sample)
    {
        var exponential = options.RetryInitialDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalSeconds);
        var jittered = capped * (0.8 + (0.4 * sample));
        return (int)Math.Clamp(Math.Ceiling(jittered), 1, int.MaxValue);
    }

    /// <summary>
    /// Hangfire keeps a scheduled moment in whole seconds, cut down, so a job could start up to a second before the
    /// helpdesk allowed it, or before a debounce ended: rounded up instead.
    /// </summary>
    public static DateTime NoSoonerThan(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        var rest = ticks % TimeSpan.TicksPerSecond;
        return new DateTime(rest == 0 ? ticks : ticks - rest + TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}

/// <summary>
/// Turns a failure carrying <see cref="RetryAfterException"/> into the Scheduled state for the helpdesk's moment. It
/// runs before Hangfire's retry filter (lower order), which then sees no failure and counts no attempt.
/// </summary>
internal sealed class RetryAfterFilter : JobFilterAttribute, IElectStateFilter
{
    public RetryAfterFilter() => Order = 10;

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState { Exception: RetryAfterException retryAfter })
            context.CandidateState = new ScheduledState(JobRetry.NoSoonerThan(retryAfter.Until)) { Reason = $"Retry-After: {retryAfter.Message}" };
    }
}
