namespace HelpdeskSidecar.Cli;

/// <summary>
/// Says "this data dir is in use" for as long as a <c>serve</c> or <c>demo</c> process runs on it: a file in the data dir
/// held open with an exclusive lock (<see cref="FileShare.None"/>; an OS lock on the open handle, flock on Linux).
/// The OS releases it when the process ends in any way, kill -9 included, so a file left behind never blocks.
/// </summary>
internal sealed class DataDirLock : IDisposable
{
    public const string FileName = "sidecar.lock";

    private readonly FileStream _file;

    private DataDirLock(FileStream file) => _file = file;

    /// <exception cref="UsageException">Another process holds the data dir.</exception>
    public static DataDirLock Acquire(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new UsageException($"the data dir '{dataDir}' is in use by another sidecar (serve or demo); stop it first or use another data dir");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UsageException($"the data dir '{dataDir}' cannot be locked: {ex.Message}");
        }
        // Who holds it, for a person looking at the folder; the lock itself is the open handle.
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
            writer.Write(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        file.Flush();
        return new DataDirLock(file);
    }

    public void Dispose() => _file.Dispose();
}
