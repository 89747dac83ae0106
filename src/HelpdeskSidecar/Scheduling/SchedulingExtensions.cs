using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Hangfire runs the jobs: one pipeline job per ticket (debounced), one write-back job per suggestion. Everything
/// Hangfire would keep in its static globals (storage, activator, filters) is registered per host here, before
/// <c>AddHangfire</c>, whose registrations only fill what is missing: two hosts in one process (the tests) never
/// share a job store or a retry policy.
/// </summary>
internal static class SchedulingExtensions
{
    public const string DashboardPath = "/hangfire";

    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // Each factory first makes sure this host's configuration (its log provider) is in place: the storage and the
        // retry filter take their loggers when they are built.
        services.TryAddSingleton(sp => Configured(sp, () => CreateJobStorage(sp.GetRequiredService<IOptions<SidecarOptions>>().Value)));
        services.TryAddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.TryAddSingleton<IJobFilterProvider>(sp => Configured(sp, () => JobFilters(sp.GetRequiredService<IOptions<SidecarOptions>>().Value.Scheduling)));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(HangfireLogging.For(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer((sp, server) =>
        {
            var scheduling = sp.GetRequiredService<IOptions<SidecarOptions>>().Value.Scheduling;
            server.WorkerCount = scheduling.MaxConcurrency;
            server.SchedulePollingInterval = scheduling.JobPollInterval;
            // A run cut short by a stop is requeued by Hangfire and runs again on start (it checks our tables first).
            server.ShutdownTimeout = TimeSpan.FromSeconds(5);
        });
        // Hangfire logs each exception a job throws, with its stack trace, even the JobRetryException that only asks
        // for a retry. Our jobs log each failure themselves first (one line when expected, with the trace when not).
        builder.Logging.AddFilter("Hangfire.Server.Worker", LogLevel.None);
        builder.Logging.AddFilter("Hangfire.AutomaticRetryAttribute", LogLevel.None);
        services.TryAddSingleton<JobLocks>();
        services.TryAddSingleton<JobStoreSync>();
        services.TryAddSingleton<TicketScheduler>();
        services.TryAddTransient<TicketPipelineJob>();
        services.TryAddTransient<WriteBackJob>();
        services.TryAddSingleton<WriteBackRetry>(); // the health page's Retry on a write-back given up
        services.TryAddTransient<Suggestions.SuggestionWriteBack>();
        services.AddHostedService<InboxDispatcher>();
        services.AddHostedService<WriteBackRecovery>();
        return builder;
    }

    /// <summary>
    /// The Hangfire dashboard at <c>/hangfire</c>, behind the console sign-in: anonymous browsers are sent to the sign-in
    /// page, <see cref="Access.JobDashboardAuthorization"/> decides the rest (ops leads and admins act, managers read).
    /// </summary>
    public static WebApplication MapJobDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            AppPath = "/console",
            DashboardTitle = "HelpdeskSidecar jobs",
            DisplayStorageConnectionString = false,
            AsyncAuthorization = [new Access.JobDashboardAuthorization()],
            IsReadOnlyFunc = Access.JobDashboardAuthorization.IsReadOnly,
        }).RequireAuthorization(Access.AccessPolicies.SignedIn);
        return app;
    }

    /// <summary>
    /// The one place the job store is chosen, with <c>Sidecar:Storage:Provider</c>. Embedded: a SQLite file of its own
    /// beside <c>sidecar.db</c> (its locks never wait on the inbox's writes). Postgres: the scale-out store, in the
    /// database of <c>Sidecar:Storage:ConnectionString</c>.
    /// </summary>
    internal static JobStorage CreateJobStorage(SidecarOptions options)
    {
        var scheduling = options.Scheduling;
        if (IsPostgres(options))
        {
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(options.Storage.ConnectionString!, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions
            {
                QueuePollInterval = scheduling.JobPollInterval,
                // A live replica keeps extending the jobs it runs, so only a dead one's come back after the timeout.
                InvisibilityTimeout = scheduling.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = true,
                // A lock (JobLocks) held by a replica that was killed is taken over this long after it was acquired
                // (the store's default is 10 minutes), so the other replica's retry of that ticket is not held up.
                DistributedLockTimeout = scheduling.InvisibilityTimeout,
                PrepareSchemaIfNecessary = true,
            });
        }
        var path = JobStorePath(options);
        var connections = new SQLiteDbConnectionFactory(() =>
        {
            // FullMutex (serialized), not the store's own NoMutex: its distributed lock renews itself from a timer on
            // the pool thread with the connection of the thread holding the lock (the delayed-job scheduler, busy
            // enqueuing), and a late renewal may touch the connection after it went back to the pool. On a NoMutex
            // connection those two threads met inside SQLite and the process died (SIGSEGV in e_sqlite3 under the
            // ingest benchmark's load); serialized, SQLite takes each call in turn.
            var connection = new SQLite.SQLiteConnection(path, SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.FullMutex, storeDateTimeAsTicks: true)
            {
                BusyTimeout = TimeSpan.FromSeconds(10),
            };
            connection.Execute("PRAGMA synchronous=NORMAL"); // see JobStoreSync
            return connection;
        });
        return new SQLiteStorage(connections, new SQLiteStorageOptions
        {
            QueuePollInterval = scheduling.JobPollInterval,
            // No sliding timeout on SQLite (the store's issue #75): a job fetched by a killed process is fetched again
            // after this long, and a run longer than this may start twice, which JobLocks and our tables make harmless.
            InvisibilityTimeout = scheduling.InvisibilityTimeout,
            // A lock held by a killed process frees itself this long after its last heartbeat.
            DistributedLockLifetime = TimeSpan.FromSeconds(15),
        });
    }

    private static T Configured<T>(IServiceProvider services, Func<T> create)
    {
        services.GetRequiredService<IGlobalConfiguration>();
        return create();
    }

    internal static bool IsPostgres(SidecarOptions options) =>
        string.Equals(options.Storage.Provider, "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The embedded job store: <c>{DataDir}/hangfire.db</c>.</summary>
    internal static string JobStorePath(SidecarOptions options)
    {
        Directory.CreateDirectory(options.FullDataDir);
        return Path.Combine(options.FullDataDir, "hangfire.db");
    }

    /// <summary>
    /// Hangfire's default global filters, less its 10-attempt retry, plus ours: the retry policy from
    /// <c>Sidecar:Scheduling</c> and the <c>Retry-After</c> reschedule. Attributes on job methods
    /// (<c>[DisplayName]</c>) still apply.
    /// </summary>
    private static JobFilterProviderCollection JobFilters(SchedulingOptions scheduling)
    {
        var filters = new JobFilterCollection
        {
            new StatisticsHistoryAttribute(),
            new ContinuationsSupportAttribute(),
            new RetryAfterFilter(),
            new Telemetry.TraceContextJobFilter(), // the creating span's traceparent, so a job continues its ticket's trace
            JobRetry.Policy(scheduling, Random.Shared),
        };
        return new JobFilterProviderCollection(new JobFilterAttributeFilterProvider(), filters);
    }
}
