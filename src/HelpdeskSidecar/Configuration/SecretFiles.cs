using Microsoft.Extensions.Primitives;

namespace HelpdeskSidecar.Configuration;

/// <summary>
/// Any <c>Sidecar:…</c> setting can be read from a file instead: give its key with <c>_FILE</c> appended and the file's
/// path as the value (<c>Sidecar__Zendesk__ApiToken_FILE=/run/secrets/zendesk-api-token</c>, as Docker and Kubernetes
/// mount secrets). A secret on the command line (<c>--Sidecar:Zendesk:ApiToken=…</c>) is readable by every local user
/// in the process listing; a path is not a secret. The file is read once at start; one trailing line break is dropped
/// (files written with <c>echo</c>). Setting both the key and its <c>_FILE</c>, an empty or unreadable file, are
/// configuration errors that name the key (exit code 2), never a silent fallback.
/// </summary>
internal static class SecretFiles
{
    public const string Suffix = "_FILE";

    public static void AddSecretFiles(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, path) in configuration.AsEnumerable())
        {
            if (!key.StartsWith(SidecarOptions.Section + ":", StringComparison.OrdinalIgnoreCase)
                || !key.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) || key.Length == Suffix.Length || path is null)
                continue;
            var target = key[..^Suffix.Length];
            if (!string.IsNullOrEmpty(configuration[target]))
                throw new SidecarConfigurationException($"'{target}' and '{key}' are both set; give the value one way.");
            values[target] = Read(key, path);
        }
        if (values.Count == 0)
            return;
        // The paths are not values: a list (WebhookSecrets:1_FILE) would bind one as one more element. Every source so
        // far is read through a filter that hides the _FILE keys, and the values read from the files come last.
        var sources = ((IConfigurationBuilder)configuration).Sources;
        for (var i = 0; i < sources.Count; i++)
            sources[i] = new WithoutFileKeys(sources[i]);
        configuration.AddInMemoryCollection(values);
    }

    private static bool IsFileKey(string key) =>
        key.StartsWith(SidecarOptions.Section + ":", StringComparison.OrdinalIgnoreCase) && key.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase);

    private static string Read(string key, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new SidecarConfigurationException($"'{key}' must be the path of a file.");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new SidecarConfigurationException($"'{key}': cannot read '{Hosting.Excerpt.Of(path)}' ({Reason(ex)}).", ex);
        }
        text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        return text.Length > 0 ? text : throw new SidecarConfigurationException($"'{key}': the file '{Hosting.Excerpt.Of(path)}' is empty.");
    }

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };

    /// <summary>A configuration source as it was, less its <c>Sidecar:…_FILE</c> keys.</summary>
    private sealed class WithoutFileKeys(IConfigurationSource inner) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(inner.Build(builder));

        private sealed class Provider(IConfigurationProvider inner) : IConfigurationProvider, IDisposable
        {
            public bool TryGet(string key, out string? value)
            {
                value = null;
                return !IsFileKey(key) && inner.TryGet(key, out value);
            }

            public void Set(string key, string? value) => inner.Set(key, value);

            public IChangeToken GetReloadToken() => inner.GetReloadToken();

            public void Load() => inner.Load();

            public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
                inner.GetChildKeys(earlierKeys, parentPath).Where(k => !IsFileKey(parentPath is null ? k : $"{parentPath}:{k}"));

            public void Dispose() => (inner as IDisposable)?.Dispose();

            public override string? ToString() => inner.ToString(); // the debug view names the real source
        }
    }
}
