using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>A folder of the test's own, removed when the test is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sidecar-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The sidecar's data dir inside this folder (<c>data</c>), as <see cref="Database"/> uses it.</summary>
    public string DataDir => System.IO.Path.Combine(Path, "data");

    private bool _hasDatabase;

    /// <summary>A real SQLite database in <see cref="DataDir"/>; its pooled connections are closed when the folder is removed.</summary>
    internal Database Database()
    {
        _hasDatabase = true;
        return new Database(Options.Create(new SidecarOptions { DataDir = DataDir }));
    }

    public string File(string name, string content)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        if (_hasDatabase)
            SqliteConnection.ClearAllPools(); // SQLite keeps pooled files open, which would stop the folder from going
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open on a slow shutdown; the OS temp cleaner takes it */ }
    }
}
