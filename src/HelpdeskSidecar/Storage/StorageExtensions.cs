using HelpdeskSidecar.Configuration;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Storage;

internal static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        // Before anything else writes there (the job store, the data-protection keys): a data dir that is a file or
        // cannot be created is a configuration mistake, named as one, not an IOException from whoever got there first.
        EnsureDataDir(builder.Configuration.GetSidecarOptions().DataDir);
        builder.Services.AddSingleton<Database>();
        builder.Services.TryAddSingleton<Shared.SharedSecrets>();
        builder.Services.TryAddSingleton<Shared.ClusterLocks>();
        if (Database.ProviderOf(builder.Configuration.GetSidecarOptions().Storage) == StorageProvider.Postgres)
        {
            // After every Configure (Access keeps the keys in {DataDir}/keys): replicas share one key ring in the database.
            builder.Services.AddOptions<KeyManagementOptions>().PostConfigure<Database, TimeProvider>((o, database, time) =>
                o.XmlRepository = new Shared.DatabaseXmlRepository(database, time));
            builder.Services.AddHostedService<Shared.SharedKeyRing>();
            // Not TryAdd: the last IStateStoreProbe registered is the one /readyz resolves (Hosting/Readiness), whichever of
            // AddStorage and AddReadiness runs first.
            builder.Services.AddSingleton<Hosting.Readiness.IStateStoreProbe, Hosting.Readiness.PostgresStateStoreProbe>();
        }
        return builder;
    }

    internal static void EnsureDataDir(string? dataDir)
    {
        if (string.IsNullOrWhiteSpace(dataDir))
            throw new SidecarConfigurationException("'Sidecar:DataDir' must not be empty.");
        string full;
        try
        {
            full = Path.GetFullPath(dataDir);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new SidecarConfigurationException($"'Sidecar:DataDir' is not a usable path: {ex.Message}", ex);
        }
        if (File.Exists(full))
            throw new SidecarConfigurationException($"'Sidecar:DataDir' '{full}' is a file, not a folder.");
        try
        {
            Directory.CreateDirectory(full);
            Hosting.PrivateFiles.TightenDataDir(full); // 0700, and umask 077 for everything created from here on
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SidecarConfigurationException($"'Sidecar:DataDir' '{full}' cannot be created: {ex.Message}", ex);
        }
    }
}
