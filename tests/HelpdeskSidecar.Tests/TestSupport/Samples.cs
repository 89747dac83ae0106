namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>The repository's <c>samples/</c> folder (knowledge, ticket exports, policy), found above the test binaries.</summary>
public static class Samples
{
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "tickets", "zendesk-export.json")))
                return candidate;
        }

        throw new DirectoryNotFoundException("the repository's samples/ folder was not found above the test binaries");
    }
}
