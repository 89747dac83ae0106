using HelpdeskSidecar.Configuration;
using Microsoft.Data.Sqlite;
using Quartz;

namespace HelpdeskSidecar.Scheduling;

internal static class SchedulingExtensions
{
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSidecarOptions();
        var dataDir = options.FullDataDir;
        Directory.CreateDirectory(dataDir);
        // The job store has its own file so that its locks never wait on the inbox's writes.
        var quartzDb = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "quartz.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        UseWriteAheadLog(quartzDb);

        builder.Services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = options.Scheduling.MaxConcurrency);
            q.UsePersistentStore(store =>
            {
                store.UseSqlite(quartzDb);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        builder.Services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        // Quartz logs every exception a job throws with its stack trace, even the JobExecutionException that only asks
        // for a retry. Our jobs log each failure themselves (one line when expected, with the trace when not) first.
        builder.Logging.AddFilter("Quartz.Core.JobRunShell", LogLevel.None);
        builder.Services.AddSingleton<TicketScheduler>();
        builder.Services.AddTransient<TicketPipelineJob>();
        builder.Services.AddTransient<WriteBackJob>();
        builder.Services.AddTransient<Suggestions.SuggestionWriteBack>();
        builder.Services.AddHostedService<InboxDispatcher>();
        return builder;
    }

    /// <summary>
    /// Quartz opens the job store in SQLite's default rollback-journal mode, which costs several fsyncs per
    /// commit. WAL is a property of the file, so setting it once before Quartz starts makes every later commit
    /// one append to the log.
    /// </summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
