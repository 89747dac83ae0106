using HelpdeskSidecar.Configuration;

namespace HelpdeskSidecar.Storage;

internal static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        // Before anything else writes there (the job store, the data-protection keys): a data dir that is a file or
        // cannot be created is a configuration mistake, named as one, not an IOException from whoever got there first.
        EnsureDataDir(builder.Configuration.GetSidecarOptions().DataDir);
        builder.Services.AddSingleton<Database>();
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
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SidecarConfigurationException($"'Sidecar:DataDir' '{full}' cannot be created: {ex.Message}", ex);
        }
    }
}
