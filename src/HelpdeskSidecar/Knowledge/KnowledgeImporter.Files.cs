using System.Text;

namespace HelpdeskSidecar.Knowledge;

/// <summary>
/// Which files an import reads and how: folders are walked without following a link back into a folder already
/// read (a link loop), every file is keyed by its real path, and a file that is not readable text is skipped with
/// the reason rather than stopping the import.
/// </summary>
internal sealed partial class KnowledgeImporter
{
    /// <param name="Path">Where the walk found it (through links, as the user sees it).</param>
    /// <param name="Relative">That path relative to the imported folder, '/'-separated: what the report prints.</param>
    /// <param name="Key">The real path: the article's key.</param>
    private sealed record FoundFile(string Path, string Relative, string Key);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The files to import, in path order, and what was passed over on the way (with why).</summary>
    /// <exception cref="DirectoryNotFoundException">There is no such folder or file.</exception>
    private static (List<FoundFile> Files, List<string> Skipped) ListFiles(string folderOrFile)
    {
        var full = Path.GetFullPath(folderOrFile);
        if (File.Exists(full))
            return ([new FoundFile(full, Path.GetFileName(full), KeyOf(full))], []);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"The folder '{folderOrFile}' does not exist.");

        var files = new List<FoundFile>();
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var walked = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([full]);
        while (pending.TryPop(out var directory))
        {
            var relativeDirectory = Relative(full, directory);
            string realDirectory;
            try
            {
                realDirectory = RealPath(directory);
            }
            catch (IOException ex)
            {
                skipped.Add($"{relativeDirectory}/ (a link that cannot be resolved: {ex.GetType().Name})");
                continue;
            }
            // A link back to a folder already read (self -> ., up -> ..) would be read again, and again.
            if (!walked.Add(realDirectory))
            {
                skipped.Add($"{relativeDirectory}/ (a link to a folder already read: not followed again)");
                continue;
            }
            List<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                skipped.Add($"{relativeDirectory}/ (the folder cannot be read: {ex.GetType().Name})");
                continue;
            }
            foreach (var entry in entries.Where(e => e is not DirectoryInfo && DocumentParser.Extensions.Contains(Path.GetExtension(e.Name).ToLowerInvariant())))
                AddFile(full, entry.FullName, files, byKey, skipped);
            // Pushed in reverse, so sub-folders are read in name order.
            foreach (var sub in entries.OfType<DirectoryInfo>().Reverse())
                pending.Push(sub.FullName);
        }
        return (files.OrderBy(f => f.Relative, StringComparer.Ordinal).ToList(), skipped);
    }

    private static void AddFile(string root, string path, List<FoundFile> files, Dictionary<string, string> byKey, List<string> skipped)
    {
        var relative = Relative(root, path);
        string key;
        try
        {
            key = KeyOf(path);
        }
        catch (IOException ex)
        {
            skipped.Add($"{relative} (a link that cannot be resolved: {ex.GetType().Name})");
            return;
        }
        // A link to a file that is also in the folder: one file, one article.
        if (byKey.TryGetValue(key, out var first))
        {
            skipped.Add($"{relative} (the same file as {first})");
            return;
        }
        byKey[key] = relative;
        files.Add(new FoundFile(path, relative, key));
    }

    private static string Relative(string root, string path) =>
        path == root ? "." : Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string KeyOf(string path) => RealPath(path).Replace('\\', '/');

    /// <summary>
    /// The absolute path with every link on the way resolved (what <c>realpath</c> gives): one name per file, whichever
    /// folder or link it was reached through. A dangling link resolves to the missing target's path.
    /// </summary>
    /// <exception cref="IOException">Links nest deeper than the system allows (a loop).</exception>
    internal static string RealPath(string path, int depth = 0)
    {
        if (depth > 40)
            throw new IOException($"Too many levels of links resolving '{path}'.");
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
                next = RealPath(Path.Combine(current, target), depth + 1);
            current = next;
        }
        return current;
    }

    /// <summary>
    /// The file as text: UTF-8 (a byte-order mark is optional), or UTF-16/UTF-32 when a byte-order mark says so. Anything
    /// else (another legacy encoding, a binary file renamed .md) is not read: indexing it would fill the index with
    /// replacement characters. Returns the reason instead of the text when the file is skipped.
    /// </summary>
    private static (string? Text, string? Skip) ReadText(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) when (new FileInfo(path).LinkTarget is { } target)
        {
            return (null, $"cannot be read: it links to '{target}', which does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read: {ex.GetType().Name}");
        }
        if (bytes.Length == 0)
            return (null, "empty file");
        string text;
        try
        {
            text = BomEncoding(bytes) is { } encoding
                ? encoding.GetString(bytes, encoding.Preamble.Length, bytes.Length - encoding.Preamble.Length)
                : StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, "not UTF-8 text: binary, or another encoding (save it as UTF-8)");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
            return (null, "binary: it contains NUL bytes (UTF-16 text needs a byte-order mark)");
        return (text, null);
    }

    /// <summary>The strict decoder a byte-order mark names; <c>null</c> without one (the text is then read as UTF-8).</summary>
    private static Encoding? BomEncoding(byte[] bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => new UTF8Encoding(true, throwOnInvalidBytes: true),
        [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true),
        [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true),
        [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
        [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
        _ => null,
    };
}
