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
        builder.Services.AddSingleton<TicketScheduler>();
        builder.Services.AddTransient<TicketPipelineJob>();
        builder.Services.AddTransient<WriteBackJob>();
        builder.Services.AddTransient<Suggestions.SuggestionWriteBack>();
        builder.Services.AddHostedService<InboxDispatcher>();
        return builder;
    }
}
