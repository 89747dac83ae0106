namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>The recorded contract fixtures copied into the test project (see Fixtures/zendesk/SOURCES.md).</summary>
public static class Fixtures
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));
}
