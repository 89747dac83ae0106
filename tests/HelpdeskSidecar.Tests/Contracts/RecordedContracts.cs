namespace HelpdeskSidecar.Tests.Contracts;

/// <summary>
/// The recorded API contracts copied into the test project (Contracts/recorded, see its SOURCES.md) and copied to the
/// test output, so contract checks do not need <c>../shared</c> beside the repository.
/// </summary>
public static class RecordedContracts
{
    /// <summary>OpenAI's OpenAPI spec (openai/openai-openapi, MIT).</summary>
    public static string OpenAiSpec => PathOf("openai/openapi.yaml");

    public static string PathOf(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contracts", "recorded", relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"recorded contract {relative} is not in the test output (Contracts/recorded)", path);
    }
}
