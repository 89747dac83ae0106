namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>The recorded contract fixtures copied into the test project (see Fixtures/zendesk/SOURCES.md).</summary>
public static class Fixtures
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The file's bytes, read once: the loopback fakes serve them on every request.</summary>
    public static byte[] Bytes(string relative) => Cache.GetOrAdd(relative, r => File.ReadAllBytes(PathOf(r)));

    public static string Text(string relative) => System.Text.Encoding.UTF8.GetString(Bytes(relative));
}
