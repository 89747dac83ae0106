using System.Runtime.InteropServices;

namespace HelpdeskSidecar.Hosting;

/// <summary>
/// Customer data at rest is for the sidecar's own user only: on Unix the process creates every file 0600 and every
/// folder 0700 (umask 077, set once at start, so files made by SQLite, Hangfire, data protection and our own code alike
/// are covered, -wal and -shm included), the data dir is 0700 and the files an older version left there are tightened
/// at start, and a file we replace keeps the mode of the one it replaces. Windows has no modes: there the data dir's
/// ACL (inherited from its parent) applies.
/// </summary>
internal static partial class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const uint OwnerOnlyMask = 0b000_111_111; // 077: nothing for group and others

    /// <summary>The files the sidecar keeps directly in its data dir (and <c>keys/</c>), tightened at start.</summary>
    private static readonly string[] DataFiles =
    [
        "sidecar.db", "sidecar.db-wal", "sidecar.db-shm", "sidecar.db-journal",
        "hangfire.db", "hangfire.db-wal", "hangfire.db-shm", "hangfire.db-journal",
        "sidecar.lock", "feedback-links.key",
    ];

    public const string KeysFolder = "keys";

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);

    /// <summary>From now on this process creates files 0600 and folders 0700 (Unix; nothing on Windows). Idempotent.</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
            SetUmask(OwnerOnlyMask);
    }

    /// <summary>The data dir 0700, its <c>keys/</c> folder 0700, and the sidecar's files in them 0600: an install made before
    /// these modes were set (0755 folders, 0644 files) is tightened at its next start.</summary>
    public static void TightenDataDir(string dataDir)
    {
        if (OperatingSystem.IsWindows())
            return;
        RestrictNewFiles();
        Directory.CreateDirectory(dataDir, FolderMode);
        Set(dataDir, FolderMode);
        foreach (var name in DataFiles)
            Set(Path.Combine(dataDir, name), FileMode);
        var keys = Path.Combine(dataDir, KeysFolder);
        if (Directory.Exists(keys))
        {
            Set(keys, FolderMode);
            foreach (var file in Directory.EnumerateFiles(keys, "*.xml"))
                Set(file, FileMode);
        }
    }

    /// <summary>Before <paramref name="replacement"/> is renamed over <paramref name="original"/>: it takes the original's
    /// mode (a 0600 policy file stays 0600, a 0640 one stays 0640); a new file keeps the 0600 it was created with.</summary>
    public static void KeepMode(string original, string replacement)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(original))
            return;
        File.SetUnixFileMode(replacement, File.GetUnixFileMode(original));
    }

    private static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path))
            return;
        try
        {
            if (File.GetUnixFileMode(path) != mode)
                File.SetUnixFileMode(path, mode);
        }
        catch (UnauthorizedAccessException)
        {
            // Someone else's file (a data dir shared on purpose): left as it is; the folder's 0700 still closes it off.
        }
    }
}
